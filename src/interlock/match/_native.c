/* scoring.compare's inner loop in C: the token alignment of two name forms and its features.
 *
 * It computes what scoring._align_python and scoring._result compute, in the same order (the same
 * pairs, the same sums added in the same order, so the same floating-point results). best() runs
 * matcher.best_forms' loop over two names' forms and features() scores one pair of forms, both
 * building no Python objects but the answer, for the many candidates a search scores;
 * alignment() returns the pairs, for the few aliases a result explains. text_similarity() is
 * scoring.text_similarity, for the word pairs a search meets first (a batch's new names meet
 * thousands); its keys (romanisation_key, phonetic_key) stay in Python. Every constant, edit
 * budget and other helper comes from scoring.py through configure(), so the rules live in one
 * place. gather() is the retrieval tally of index.NameIndex.candidates
 * (NameIndex._gather_python), to the same bits. forest() reads a calibration model's trees once
 * and log_odds() / score_each() walk them, as calibration.TreeModel.log_odds_in_python does.
 * tests/match/test_native.py compares both implementations on thousands of real name pairs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* `count` zeroed items of `size` bytes aligned to a line of the cache (free with free), or NULL */
static void *zeroed_lines(size_t count, size_t size) {
    void *memory = NULL;
    if (posix_memalign(&memory, 64, (count ? count : 1) * size) != 0) return NULL;
    memset(memory, 0, (count ? count : 1) * size);
    return memory;
}

/* memory asked for ahead of its use, where the compiler can */
#if defined(__GNUC__)
#define prefetch(address) __builtin_prefetch(address)
#else
#define prefetch(address) ((void)(address))
#endif

enum { WORD, NUMBER, INITIAL, LOCATION, GENERIC, LEGAL, STOP, KINDS };

static PyObject *kind_members[KINDS];
static double kind_conflict[KINDS];
static int kind_distinctive[KINDS];

/* scoring._telling: a distinctive word or a place */
static int telling(int kind) { return kind_distinctive[kind] || kind == LOCATION; }
#define INTERFACE 19 /* 19: detail(display, score, weak, query_form, query_weights,
                       * candidate_form, candidate_weights, person, features, feature_names) */
static PyObject *romanisation_key_fn, *phonetic_key_fn, *abjad_spelling_fn, *vowel_variants_fn,
    *named_after_article_fn;
static PyObject *how_gender, *how_spelling, *how_fuzzy, *how_typo, *how_initial, *how_phonetic,
    *how_nothing;
/* scoring._budget and scoring._respelling_budget by length; the last entry for any longer */
#define BUDGET_LENGTHS 32
static int typo_budget[BUDGET_LENGTHS], respelling_budget[BUDGET_LENGTHS];
/* a Token's slots, read at their offsets: Token is a frozen dataclass with __slots__ */
static PyTypeObject *token_type, *form_type;
static Py_ssize_t offset_text, offset_kind, offset_alts, offset_groups, offset_vowelless,
    offset_article, offset_group_ids, offset_via;
static Py_ssize_t offset_tokens, offset_spellings, offset_adjacent, offset_spelled,
    offset_adjacent_spelled, offset_form_via; /* NameForm's */
static PyObject *how_exact, *how_equivalent, *how_consonants, *how_name_group, *how_different;
static double EQUIVALENT, NAME_GROUP, EXACT_ENOUGH, SPELLING, MATCHED_WEIGHT_CAP, CONSONANTS,
    LOCATION_MISSING, DISTINCT_NAMES, ACRONYM, MIN_ACRONYM_ALONE, INITIAL_LETTER, GENDER_FORM,
    PHONETIC, PHONETIC_LENGTH;
static int ANY_SLIPS, NAME_SLIPS; /* scoring's: how far apart short words may meet by sound */
static int configured = 0;
/* how many times configure() has run: keys a token keeps are the helpers' of its generation */
static unsigned configuration = 0;

typedef struct Tok {
    PyObject *text, *alts, *groups, *group_bytes; /* borrowed: the caller's tokens hold them */
    const int64_t *group_ids;                     /* Token.group_ids: sorted, in group_bytes */
    Py_ssize_t group_count;
    int kind;
    int vowelless;
    int article; /* Token.article: written with the Arabic article, romanised without it */
    double weight;
    double score;
    int free;
    /* the token as loaded, of which this may be a copy: it keeps the keys below, asked for once
     * however many copies meet other tokens (see key_of) */
    struct Tok *origin;
    PyObject *folded, *sound; /* its text's romanisation_key and phonetic_key, once asked; owned */
    unsigned keys_of;         /* the configuration whose helpers gave them */
} Tok;


static int kind_of(PyObject *kind) {
    for (int k = 0; k < KINDS; k++)
        if (kind == kind_members[k]) return k;
    return -1;
}

static PyObject *slot(PyObject *token, Py_ssize_t offset) {
    return *(PyObject **)((char *)token + offset);
}

/* Fills `out` from a tuple of Token and a list of float weights; -1 with an exception set. */
/* A sorted array of int64 held in bytes (forms.sorted_ids, forms.sorted_hashes); -1 if it is
 * not one. */
static int sorted_array(PyObject *bytes, const int64_t **items, Py_ssize_t *count) {
    if (!PyBytes_Check(bytes) || PyBytes_GET_SIZE(bytes) % sizeof(int64_t)) {
        PyErr_SetString(PyExc_TypeError, "a sorted array: bytes of int64");
        return -1;
    }
    *items = (const int64_t *)PyBytes_AS_STRING(bytes);
    *count = PyBytes_GET_SIZE(bytes) / (Py_ssize_t)sizeof(int64_t);
    return 0;
}

/* Whether two sorted arrays share a value. */
static int overlap(const int64_t *a, Py_ssize_t a_count, const int64_t *b, Py_ssize_t b_count) {
    Py_ssize_t i = 0, j = 0;
    while (i < a_count && j < b_count) {
        if (a[i] == b[j]) return 1;
        if (a[i] < b[j]) i++;
        else j++;
    }
    return 0;
}

static int load_tokens(PyObject *tuple, PyObject *weights, Tok *out, Py_ssize_t count) {
    for (Py_ssize_t n = 0; n < count; n++) {
        Tok *t = &out[n];
        PyObject *token = PyTuple_GET_ITEM(tuple, n);
        if (Py_TYPE(token) != token_type) {
            PyErr_SetString(PyExc_TypeError, "tokens must be interlock.names.forms.Token");
            return -1;
        }
        t->text = slot(token, offset_text);
        t->alts = slot(token, offset_alts);
        t->groups = slot(token, offset_groups);
        PyObject *kind = slot(token, offset_kind);
        PyObject *vowelless = slot(token, offset_vowelless);
        PyObject *article = slot(token, offset_article);
        PyObject *group_ids = slot(token, offset_group_ids);
        if (!t->text || !t->alts || !t->groups || !kind || !vowelless || !article || !group_ids) {
            PyErr_SetString(PyExc_AttributeError, "a token's slot is not set");
            return -1;
        }
        if (!PyUnicode_Check(t->text) || !PyAnySet_Check(t->alts) || !PyAnySet_Check(t->groups)) {
            PyErr_SetString(PyExc_TypeError, "a token's text must be a str, alts and groups sets");
            return -1;
        }
        if (sorted_array(group_ids, &t->group_ids, &t->group_count) < 0) return -1;
        t->group_bytes = group_ids;
        t->kind = kind_of(kind);
        if (t->kind < 0) {
            PyErr_SetString(PyExc_TypeError, "a token's kind is not a configured Kind");
            return -1;
        }
        t->vowelless = vowelless == Py_True;
        t->article = article == Py_True;
        PyObject *weight = PyList_GET_ITEM(weights, n);
        t->weight = PyFloat_AsDouble(weight);
        if (t->weight == -1.0 && PyErr_Occurred()) return -1;
        t->free = t->kind != STOP;
        t->origin = t;
        t->folded = t->sound = NULL;
        t->keys_of = configuration;
    }
    return 0;
}

/* Lets go of the keys loaded tokens were asked for. */
static void drop_keys(Tok *tokens, Py_ssize_t count) {
    for (Py_ssize_t n = 0; n < count; n++) {
        Py_CLEAR(tokens[n].folded);
        Py_CLEAR(tokens[n].sound);
    }
}

static int texts_equal(PyObject *a, PyObject *b) {
    if (a == b) return 1;
    if (PyUnicode_GET_LENGTH(a) != PyUnicode_GET_LENGTH(b)) return 0;
    return PyUnicode_Compare(a, b) == 0;
}

/* 1 when the sets share no member, 0 when they do, -1 on error. */
static int disjoint(PyObject *a, PyObject *b) {
    if (PySet_GET_SIZE(a) > PySet_GET_SIZE(b)) {
        PyObject *swap = a;
        a = b;
        b = swap;
    }
    PyObject *iterator = PyObject_GetIter(a);
    if (!iterator) return -1;
    PyObject *key;
    while ((key = PyIter_Next(iterator))) {
        int found = PySet_Contains(b, key);
        Py_DECREF(key);
        if (found != 0) {
            Py_DECREF(iterator);
            return found < 0 ? -1 : 0;
        }
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred()) return -1;
    return 1;
}

static PyObject *call2(PyObject *function, PyObject *a, PyObject *b) {
    PyObject *args[2] = {a, b};
    return PyObject_Vectorcall(function, args, 2, NULL);
}

static PyObject *call3(PyObject *function, PyObject *a, PyObject *b, PyObject *c) {
    PyObject *args[3] = {a, b, c};
    return PyObject_Vectorcall(function, args, 3, NULL);
}

static PyObject *call4(PyObject *function, PyObject *a, PyObject *b, int c, int d) {
    PyObject *args[4] = {a, b, c ? Py_True : Py_False, d ? Py_True : Py_False};
    return PyObject_Vectorcall(function, args, 4, NULL);
}

/* A text's characters as UCS4 in `out` (room for `room`), or in a new buffer when longer (the
 * caller frees it when it is not `out`); NULL with an exception set. */
static Py_UCS4 *characters(PyObject *text, Py_UCS4 *out, Py_ssize_t room) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length > room) return PyUnicode_AsUCS4Copy(text);
    return PyUnicode_AsUCS4(text, out, room, 0);
}

/* The optimal-string-alignment distance (rapidfuzz's OSA: insertions, deletions,
 * substitutions and transpositions of adjacent characters, no substring edited twice). */
static Py_ssize_t osa(const Py_UCS4 *a, Py_ssize_t n, const Py_UCS4 *b, Py_ssize_t m) {
    Py_ssize_t stack[3 * 65], *rows = stack;
    if (m + 1 > 65 && !(rows = PyMem_Malloc(3 * (size_t)(m + 1) * sizeof(Py_ssize_t)))) return -1;
    Py_ssize_t *before = rows, *previous = rows + (m + 1), *current = rows + 2 * (m + 1);
    for (Py_ssize_t j = 0; j <= m; j++) previous[j] = j;
    for (Py_ssize_t i = 1; i <= n; i++) {
        current[0] = i;
        for (Py_ssize_t j = 1; j <= m; j++) {
            Py_ssize_t cost = a[i - 1] != b[j - 1];
            Py_ssize_t best = previous[j - 1] + cost;
            if (previous[j] + 1 < best) best = previous[j] + 1;
            if (current[j - 1] + 1 < best) best = current[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            current[j] = best;
        }
        Py_ssize_t *spare = before;
        before = previous;
        previous = current;
        current = spare;
    }
    Py_ssize_t distance = previous[m];
    if (rows != stack) PyMem_Free(rows);
    return distance;
}

static int budget_of(const int *table, Py_ssize_t length) {
    return table[length < BUDGET_LENGTHS ? length : BUDGET_LENGTHS - 1];
}

/* scoring._VOWELS.search(text) */
static int has_vowel(PyObject *text) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t n = 0; n < length; n++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, n);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y') return 1;
    }
    return 0;
}

/* The edits between two texts (osa); -1 with an exception set on error. */
static Py_ssize_t text_distance(PyObject *a, PyObject *b) {
    Py_UCS4 room_a[64], room_b[64];
    Py_ssize_t n = PyUnicode_GET_LENGTH(a), m = PyUnicode_GET_LENGTH(b);
    Py_UCS4 *x = characters(a, room_a, 64), *y = x ? characters(b, room_b, 64) : NULL;
    Py_ssize_t distance = y ? osa(x, n, y, m) : -1;
    if (x && x != room_a) PyMem_Free(x);
    if (y && y != room_b) PyMem_Free(y);
    if (distance < 0 && !PyErr_Occurred()) PyErr_NoMemory();
    return distance;
}

/* scoring._edit_similarity; `typos`: with _budget (else _respelling_budget); -1 on error. */
static double edit_similarity(PyObject *a, PyObject *b, int typos) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(a), m = PyUnicode_GET_LENGTH(b);
    Py_ssize_t shorter = n < m ? n : m, longer = n < m ? m : n;
    int budget = typos ? budget_of(typo_budget, shorter >= 4 ? longer : shorter)
                       : budget_of(respelling_budget, shorter);
    if (longer - shorter > budget) return 0.0; /* more insertions than allowed, at least */
    Py_ssize_t distance = text_distance(a, b);
    if (distance < 0) return -1.0;
    return distance <= budget ? 1.0 - (double)distance / (double)longer : 0.0;
}

enum { DIGITS, LETTERS };

/* str.isdigit() or str.isalpha(): a text of one or more characters, all of the class. */
static int all_of(PyObject *text, int class) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t n = 0; n < length; n++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, n);
        if (class == DIGITS ? !Py_UNICODE_ISDIGIT(c) : !Py_UNICODE_ISALPHA(c)) return 0;
    }
    return length > 0;
}

/* Whether `text` holds the ASCII `part` at `at` (an index that fits). */
static int holds_at(PyObject *text, Py_ssize_t at, const char *part) {
    for (Py_ssize_t n = 0; part[n]; n++)
        if (PyUnicode_READ_CHAR(text, at + n) != (Py_UCS4)(unsigned char)part[n]) return 0;
    return 1;
}

static int same_prefix(PyObject *a, PyObject *b, Py_ssize_t length) {
    for (Py_ssize_t n = 0; n < length; n++)
        if (PyUnicode_READ_CHAR(a, n) != PyUnicode_READ_CHAR(b, n)) return 0;
    return 1;
}

/* 'aleksandr' / 'aleksandra', 'petrovskiy' / 'petrovskaya': `longer` is `shorter` + 'a' or + 'aya',
 * or `shorter` less its last letter + 'aya' */
static int gender_form(PyObject *shorter, PyObject *longer) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(shorter), m = PyUnicode_GET_LENGTH(longer);
    if (n < 4 || (m != n + 1 && m != n + 2 && m != n + 3)) return 0;
    Py_ssize_t kept = m == n + 2 ? n - 1 : n;
    return same_prefix(shorter, longer, kept) && holds_at(longer, kept, m == n + 1 ? "a" : "aya");
}

/* The first character of each text is the same (both non-empty). */
static int same_start(PyObject *a, PyObject *b) {
    return PyUnicode_GET_LENGTH(a) && PyUnicode_GET_LENGTH(b) &&
           PyUnicode_READ_CHAR(a, 0) == PyUnicode_READ_CHAR(b, 0);
}

/* A text's romanisation_key (or, `sound`, its phonetic_key): a new reference, NULL on error.
 * Asked of a loaded token (`token` not NULL), it is kept on the token as loaded: a query's token
 * meets every token of tens of names, and a listed name's meets every query that finds it. */
static PyObject *key_of(PyObject *text, Tok *token, int sound) {
    PyObject **kept = NULL;
    if (token && token->origin) {
        Tok *origin = token->origin;
        if (origin->keys_of != configuration) { /* helpers configured since: asked anew */
            Py_CLEAR(origin->folded);
            Py_CLEAR(origin->sound);
            origin->keys_of = configuration;
        }
        kept = sound ? &origin->sound : &origin->folded;
    }
    if (kept && *kept) return Py_NewRef(*kept);
    PyObject *key = PyObject_CallOneArg(sound ? phonetic_key_fn : romanisation_key_fn, text);
    /* the call may have let another thread keep one meanwhile */
    if (key && kept && !*kept && PyUnicode_Check(key)) *kept = Py_NewRef(key);
    return key;
}

/* scoring.text_similarity, in C: the similarity and in `how` a borrowed reference to one of the
 * interned words; -1 on error. romanisation_key and phonetic_key stay Python (lru-cached), asked
 * once per loaded token (`a_token`, `b_token`: the texts' tokens, or NULL). */
static int similarity_of_texts(PyObject *a, PyObject *b, Tok *a_token, Tok *b_token,
                               int sound_slips, double *value, PyObject **how) {
    *value = 0.0;
    *how = how_nothing;
    if (texts_equal(a, b)) {
        *value = 1.0;
        *how = how_exact;
        return 0;
    }
    if (all_of(a, DIGITS) || all_of(b, DIGITS)) return 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(a), m = PyUnicode_GET_LENGTH(b);
    if (n == 1 || m == 1) {
        PyObject *shorter = n == 1 ? a : b, *longer = n == 1 ? b : a;
        if (PyUnicode_Tailmatch(longer, shorter, 0, PY_SSIZE_T_MAX, -1) == 1) {
            *value = INITIAL_LETTER;
            *how = how_initial;
        }
        return 0;
    }
    if (gender_form(n <= m ? a : b, n <= m ? b : a)) {
        *value = GENDER_FORM;
        *how = how_gender;
        return 0;
    }
    double fuzzy = edit_similarity(a, b, 1);
    if (fuzzy < 0) return -1;
    if (fuzzy >= SPELLING) {
        *value = fuzzy;
        *how = how_fuzzy;
        return 0;
    }
    PyObject *folded_a = key_of(a, a_token, 0);
    PyObject *folded_b = folded_a ? key_of(b, b_token, 0) : NULL;
    int failed = !folded_b || !PyUnicode_Check(folded_a) || !PyUnicode_Check(folded_b);
    if (!failed && texts_equal(folded_a, folded_b)) {
        *value = SPELLING;
        *how = how_spelling;
        goto done;
    }
    double respelt = failed ? 0.0 : edit_similarity(folded_a, folded_b, 0);
    if (respelt < 0) goto error;
    respelt *= SPELLING;
    /* phonetic keys are only worth asking for when they could decide */
    int decides = !failed && (fuzzy > respelt ? fuzzy : respelt) < PHONETIC &&
                  same_start(folded_a, folded_b);
    if (decides && sound_slips != ANY_SLIPS && (n < m ? n : m) < PHONETIC_LENGTH) {
        Py_ssize_t edits = text_distance(a, b);
        if (edits < 0) goto error;
        decides = edits <= sound_slips && has_vowel(a) && has_vowel(b);
    }
    if (decides) {
        PyObject *key_a = key_of(a, a_token, 1);
        PyObject *key_b = key_a ? key_of(b, b_token, 1) : NULL;
        int same = key_b && PyUnicode_Check(key_a) && PyUnicode_GET_LENGTH(key_a)
                       ? PyObject_RichCompareBool(key_a, key_b, Py_EQ)
                       : (key_b ? 0 : -1);
        Py_XDECREF(key_a);
        Py_XDECREF(key_b);
        if (same < 0) goto error;
        if (same) {
            *value = PHONETIC;
            *how = how_phonetic;
            goto done;
        }
    }
    if (failed) goto error;
    if (respelt > fuzzy) {
        *value = respelt;
        *how = how_spelling;
    } else if (fuzzy != 0) {
        double slips = edit_similarity(a, b, 0);
        if (slips < 0) goto error;
        *value = fuzzy;
        *how = slips ? how_fuzzy : how_typo;
    }
done:
    Py_XDECREF(folded_a);
    Py_XDECREF(folded_b);
    return 0;
error:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "romanisation_key and phonetic_key must return str");
    Py_XDECREF(folded_a);
    Py_XDECREF(folded_b);
    return -1;
}

static PyObject *text_similarity(PyObject *module, PyObject *const *args, Py_ssize_t count) {
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    if (count < 2 || count > 3 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "text_similarity(a: str, b: str, sound_slips=-1)");
        return NULL;
    }
    long slips = ANY_SLIPS;
    if (count == 3) {
        if (!PyLong_Check(args[2]) || PyBool_Check(args[2])) {
            PyErr_SetString(PyExc_TypeError, "sound_slips: an int (ANY_SLIPS, or slips allowed)");
            return NULL;
        }
        int overflow;
        slips = PyLong_AsLongAndOverflow(args[2], &overflow);
        if (slips == -1 && PyErr_Occurred()) return NULL;
        if (overflow > 0 || slips > INT_MAX) slips = INT_MAX; /* as many as any word has */
        if (overflow < 0 || slips < ANY_SLIPS) {
            PyErr_SetString(PyExc_ValueError, "sound_slips: ANY_SLIPS, or slips allowed (>= 0)");
            return NULL;
        }
    }
    double value;
    PyObject *how;
    if (similarity_of_texts(args[0], args[1], NULL, NULL, (int)slips, &value, &how) < 0) return NULL;
    return Py_BuildValue("(dO)", value, how);
}

/* text_similarity's answers, remembered: a direct-mapped table (a later pair whose slot is taken
 * replaces the earlier), holding its strings so that none is freed while remembered. Working one
 * out may call romanisation_key and phonetic_key in Python, which costs more than the rest of a
 * token pair's comparison. */
#define MEMO_SLOTS (1 << 16)
typedef struct {
    PyObject *a, *b, *how;
    double similarity;
    int variants; /* vowel_variants(a, b), once asked; -1 before */
} Memo;
static Memo *memo;

static void forget_all(void) {
    if (!memo) return;
    for (size_t n = 0; n < MEMO_SLOTS; n++) {
        Py_CLEAR(memo[n].a);
        Py_CLEAR(memo[n].b);
        Py_CLEAR(memo[n].how);
    }
}

/* text_similarity(a, b): the similarity, and in `how` a new reference; the pair's slot, which
 * holds them until another pair takes it; NULL on error. */
static Memo *remembered_similarity(Tok *a_token, Tok *b_token, double *value, PyObject **how) {
    PyObject *a = a_token->text, *b = b_token->text;
    Py_hash_t hash_a = PyObject_Hash(a), hash_b = PyObject_Hash(b);
    if (hash_a == -1 || hash_b == -1) return NULL;
    Memo *slot = &memo[((size_t)hash_a * 1000003u ^ (size_t)hash_b) & (MEMO_SLOTS - 1)];
    if (slot->a && texts_equal(slot->a, a) && texts_equal(slot->b, b)) {
        *value = slot->similarity;
        *how = Py_NewRef(slot->how);
        return slot;
    }
    PyObject *said;
    if (similarity_of_texts(a, b, a_token, b_token, ANY_SLIPS, value, &said) < 0) return NULL;
    *how = Py_NewRef(said);
    Py_XSETREF(slot->a, Py_NewRef(a));
    Py_XSETREF(slot->b, Py_NewRef(b));
    Py_XSETREF(slot->how, Py_NewRef(*how));
    slot->similarity = *value;
    slot->variants = -1;
    return slot;
}

/* Whether `text` is a vowel variant of one of `spellings` (a word's Latin forms): 1, 0 or -1. */
static int a_vowel_variant(PyObject *spellings, PyObject *text) {
    PyObject *iterator = PyObject_GetIter(spellings), *spelling;
    if (!iterator) return -1;
    int found = 0;
    while (!found && (spelling = PyIter_Next(iterator))) {
        PyObject *answer = call2(vowel_variants_fn, spelling, text);
        Py_DECREF(spelling);
        found = answer ? PyObject_IsTrue(answer) : -1;
        Py_XDECREF(answer);
    }
    Py_DECREF(iterator);
    return found < 0 || PyErr_Occurred() ? -1 : found;
}

/* scoring.sound_slips */
static int sound_slips(const Tok *a, const Tok *b) {
    if (a->vowelless || b->vowelless || (a->group_count && b->group_count)) return ANY_SLIPS;
    return a->group_count || b->group_count ? NAME_SLIPS : 1;
}

/* scoring.token_similarity: the similarity, and in `how` a new reference to how it came about
 * (NULL when the similarity is 0); -1 on error. */
static int token_similarity(Tok *a, Tok *b, double *similarity, PyObject **how) {
    *how = NULL;
    *similarity = 0.0;
    if (texts_equal(a->text, b->text)) {
        *similarity = 1.0;
        *how = Py_NewRef(how_exact);
        return 0;
    }
    int equivalent = 0;
    if (PySet_GET_SIZE(a->alts)) {
        int found = PySet_Contains(a->alts, b->text);
        if (found < 0) return -1;
        if (!found) {
            int apart = disjoint(a->alts, b->alts);
            if (apart < 0) return -1;
            found = !apart;
        }
        equivalent = found;
    }
    if (!equivalent && PySet_GET_SIZE(b->alts)) {
        int found = PySet_Contains(b->alts, a->text);
        if (found < 0) return -1;
        equivalent = found;
    }
    if (equivalent) {
        *similarity = EQUIVALENT;
        *how = Py_NewRef(how_equivalent);
        return 0;
    }
    if (a->kind == NUMBER || b->kind == NUMBER) return 0;
    double value;
    PyObject *said;
    Memo *remembered = remembered_similarity(a, b, &value, &said);
    if (!remembered) return -1;
    int slips = said == how_phonetic ? sound_slips(a, b) : ANY_SLIPS;
    if (slips != ANY_SLIPS && (PyUnicode_GET_LENGTH(a->text) < PHONETIC_LENGTH ||
                               PyUnicode_GET_LENGTH(b->text) < PHONETIC_LENGTH)) {
        /* the memo holds the answer by sound alone; asked again, not memoised, for a short pair
         * that may meet by sound only within some slips (a few in a hundred such pairs) */
        PyObject *unsounded;
        if (similarity_of_texts(a->text, b->text, a, b, slips, &value, &unsounded) < 0) {
            Py_DECREF(said);
            return -1;
        }
        Py_SETREF(said, Py_NewRef(unsounded));
    }
    *similarity = value;
    *how = said;
    if (PyUnicode_Compare(said, how_gender) == 0) return 0;
    if (value < CONSONANTS && a->vowelless != b->vowelless) {
        Tok *unwritten = a->vowelless ? a : b, *written = a->vowelless ? b : a;
        int same = 0;
        int known_apart = a->group_count && b->group_count &&
                          !overlap(a->group_ids, a->group_count, b->group_ids, b->group_count);
        /* scoring.token_similarity */
        int article = 0;
        if (unwritten->article && known_apart) {
            PyObject *named = call3(named_after_article_fn, unwritten->groups, unwritten->alts,
                                    written->text);
            article = named ? PyObject_IsTrue(named) : -1;
            Py_XDECREF(named);
            if (article < 0) {
                Py_CLEAR(*how);
                return -1;
            }
        } else if (unwritten->article) {
            article = unwritten->group_count || !written->group_count;
        }
        if (article || !known_apart) {
            PyObject *answer =
                call4(abjad_spelling_fn, unwritten->text, written->text, article, !known_apart);
            same = answer ? PyObject_IsTrue(answer) : -1;
            Py_XDECREF(answer);
        }
        if (same == 0 && PySet_GET_SIZE(unwritten->alts))
            same = a_vowel_variant(unwritten->alts, written->text);
        if (same < 0) {
            Py_CLEAR(*how);
            return -1;
        }
        if (same) {
            *similarity = CONSONANTS;
            Py_SETREF(*how, Py_NewRef(how_consonants));
            return 0;
        }
    }
    if (value >= NAME_GROUP || !a->group_count || !b->group_count) return 0;
    if (overlap(a->group_ids, a->group_count, b->group_ids, b->group_count)) {
        *similarity = NAME_GROUP;
        Py_SETREF(*how, Py_NewRef(how_name_group));
        return 0;
    }
    int variants = PyUnicode_Compare(said, how_spelling) == 0;
    if (!variants) {
        if (remembered->variants < 0) { /* the slot is still this pair's: the memo is not re-entered */
            PyObject *answer = call2(vowel_variants_fn, a->text, b->text);
            if (!answer) return -1;
            remembered->variants = PyObject_IsTrue(answer);
            Py_DECREF(answer);
            if (remembered->variants < 0) return -1;
        }
        variants = remembered->variants;
    }
    if (variants) {
        *similarity = value > SPELLING ? value : SPELLING;
        Py_SETREF(*how, Py_NewRef(how_spelling));
    } else if (value > 0) {
        *similarity = value * DISTINCT_NAMES;
        Py_SETREF(*how, Py_NewRef(how_different));
    }
    return 0;
}

typedef struct {
    double similarity, weight_sum;
    Py_ssize_t i, j;
    PyObject *how; /* new reference */
} Option;

/* Python's reverse sort of (similarity, weight sum, -|i - j|, i, j, how) tuples; (i, j) never
 * repeats. */
static int by_option(const void *left, const void *right) {
    const Option *a = left, *b = right;
    if (a->similarity != b->similarity) return a->similarity < b->similarity ? 1 : -1;
    if (a->weight_sum != b->weight_sum) return a->weight_sum < b->weight_sum ? 1 : -1;
    Py_ssize_t a_apart = a->i > a->j ? a->i - a->j : a->j - a->i;
    Py_ssize_t b_apart = b->i > b->j ? b->i - b->j : b->j - b->i;
    if (a_apart != b_apart) return a_apart > b_apart ? 1 : -1;
    if (a->i != b->i) return a->i < b->i ? 1 : -1;
    if (a->j != b->j) return a->j < b->j ? 1 : -1;
    return 0;
}


/* scoring._acronym_run: writes the run's positions into `run`; 1 when found. */
static int acronym_run(PyObject *acronym, Tok *tokens, Py_ssize_t count, Py_ssize_t *run) {
    Py_ssize_t wanted = PyUnicode_GET_LENGTH(acronym);
    for (Py_ssize_t start = 0; start < count; start++) {
        if (tokens[start].kind == STOP) continue;
        Py_ssize_t found = 0;
        for (Py_ssize_t position = start; position < count; position++) {
            if (tokens[position].kind == STOP) continue;
            if (found == wanted) break;
            Tok *t = &tokens[position];
            if (!t->free || PyUnicode_GET_LENGTH(t->text) == 0 ||
                PyUnicode_READ_CHAR(t->text, 0) != PyUnicode_READ_CHAR(acronym, found)) {
                if (found > 0 && t->kind == GENERIC) continue; /* a generic word left out */
                break;
            }
            run[found++] = position;
        }
        if (found == wanted) return 1;
    }
    return 0;
}

/* One pair of the alignment, in scoring.compare's order: the greedy pairs, then the query's
 * acronyms, then the candidate's. An acronym pair's run is kept in `runs` from `run_start`. */
typedef struct {
    double similarity, weight;
    Py_ssize_t i, j; /* greedy: query and candidate positions; acronym: the short side's, -1 */
    PyObject *how;   /* greedy only, borrowed from its Option */
    int query_side;  /* acronym: the query is the short side */
    Py_ssize_t run_start, run_length;
} Paired;

typedef struct {
    Option *options;
    Py_ssize_t option_count;
    Paired *pairs;
    Py_ssize_t pair_count;
    Py_ssize_t *runs;
    Py_ssize_t run_total;
    int order_break;
} Alignment;

/* scoring._may_be_acronym */
static int acronym_kind(int kind, Py_ssize_t length) {
    return (kind == WORD && length >= 2) || (kind == LEGAL && length >= 3);
}

/* scoring._pair_acronyms */
static void pair_acronyms(Tok *short_side, Py_ssize_t short_count, Tok *long_side,
                          Py_ssize_t long_count, Alignment *al, int query_side,
                          Py_ssize_t shortest) {
    for (Py_ssize_t i = 0; i < short_count; i++) {
        Tok *t = &short_side[i];
        Py_ssize_t length = PyUnicode_GET_LENGTH(t->text);
        if (!t->free || !acronym_kind(t->kind, length) || length < shortest || length > 6 ||
            !all_of(t->text, LETTERS))
            continue;
        Py_ssize_t *run = al->runs + al->run_total;
        if (!acronym_run(t->text, long_side, long_count, run)) continue;
        t->free = 0;
        t->score = ACRONYM;
        for (Py_ssize_t n = 0; n < length; n++) {
            long_side[run[n]].free = 0;
            long_side[run[n]].score = ACRONYM;
        }
        Paired *p = &al->pairs[al->pair_count++];
        p->similarity = ACRONYM;
        p->weight = t->weight;
        p->i = i;
        p->j = -1;
        p->how = NULL;
        p->query_side = query_side;
        p->run_start = al->run_total;
        p->run_length = length;
        al->run_total += length;
    }
}

/* scoring._pair_both_acronyms: the query's acronyms, then the candidate's */
static void pair_both_acronyms(Tok *q, Py_ssize_t q_count, Tok *c, Py_ssize_t c_count,
                               Alignment *al, Py_ssize_t shortest) {
    pair_acronyms(q, q_count, c, c_count, al, 1, shortest);
    pair_acronyms(c, c_count, q, q_count, al, 0, shortest);
}

static int ascending(const Py_ssize_t *positions, Py_ssize_t count) {
    for (Py_ssize_t n = 1; n < count; n++)
        if (positions[n - 1] > positions[n]) return 0;
    return 1;
}

/* scoring._rotated; -1 when out of memory. */
static int rotated(const Alignment *al) {
    Py_ssize_t greedy = 0;
    for (Py_ssize_t n = 0; n < al->pair_count; n++)
        if (al->pairs[n].j >= 0) greedy++;
    if (greedy <= 2) return 1;
    Py_ssize_t room[2 * 32], *positions = room;
    if (greedy > 32 && !(positions = PyMem_Malloc(2 * (size_t)greedy * sizeof(Py_ssize_t))))
        return -1;
    Py_ssize_t *turned = positions + greedy;
    /* the greedy pairs' candidate positions, ordered by query position */
    Py_ssize_t count = 0, at = -1, lowest = 0;
    for (;;) {
        Py_ssize_t next = -1, j = -1;
        for (Py_ssize_t n = 0; n < al->pair_count; n++) {
            const Paired *p = &al->pairs[n];
            if (p->j >= 0 && p->i > at && (next < 0 || p->i < next)) {
                next = p->i;
                j = p->j;
            }
        }
        if (next < 0) break;
        at = next;
        if (!count || j < positions[lowest]) lowest = count;
        positions[count++] = j;
    }
    /* from the other side's first word, if rotated */
    for (Py_ssize_t n = 0; n < count; n++) turned[n] = positions[(lowest + n) % count];
    int kept = ascending(turned, count);
    for (Py_ssize_t k = 1; !kept && k < count - 2; k++) { /* two neighbouring middle names swapped */
        Py_ssize_t swap = turned[k];
        turned[k] = turned[k + 1];
        turned[k + 1] = swap;
        kept = ascending(turned, count);
        turned[k + 1] = turned[k];
        turned[k] = swap;
    }
    if (positions != room) PyMem_Free(positions);
    return kept;
}

/* scoring._twins: one word twice, the same in all that pairs it */
static int twins(const Tok *a, const Tok *b) {
    return a->kind == b->kind && PyUnicode_Compare(a->text, b->text) == 0 &&
           PyObject_RichCompareBool(a->alts, b->alts, Py_EQ) == 1 &&
           PyObject_RichCompareBool(a->groups, b->groups, Py_EQ) == 1;
}

/* the most pairings of twins kept, and exchanges tried (scoring.TWIN_PAIRINGS, TWIN_EXCHANGES) */
#define TWIN_PAIRINGS 64
#define TWIN_EXCHANGES 256

static int same_partners(const Paired *a, const Paired *b, Py_ssize_t count) {
    for (Py_ssize_t n = 0; n < count; n++)
        if (a[n].j != b[n].j) return 0;
    return 1;
}

/* scoring._untwined: the greedy pairs with twins' partners exchanged, fewest exchanges first,
 * until their order is a rotation (only the greedy pairs: it runs before the acronyms are
 * paired). 1 if one is found (left in al->pairs, the tokens' scores set from it), 0 if none
 * (the greedy pairs stay), -1 when out of memory. */
static int untwine(Tok *q, Tok *c, Alignment *al) {
    Py_ssize_t count = al->pair_count;
    size_t size = (size_t)(count ? count : 1) * sizeof(Paired);
    Paired *queue = PyMem_Malloc(size * TWIN_PAIRINGS), *trial = PyMem_Malloc(size);
    if (!queue || !trial) {
        PyMem_Free(queue);
        PyMem_Free(trial);
        return -1;
    }
    memcpy(queue, al->pairs, (size_t)count * sizeof(Paired));
    Py_ssize_t queued = 1, exchanges = 0;
    int found = 0;
    Alignment view = *al;
    view.pairs = trial;
    int searching = 1; /* until a pairing is in order, memory runs out or too many are tried */
    for (Py_ssize_t s = 0; s < queued && searching; s++) {
        for (Py_ssize_t a = 0; a < count && searching; a++) {
            for (Py_ssize_t b = a + 1; b < count && searching; b++) {
                const Paired *pairs = queue + s * count;
                Paired x = pairs[a], y = pairs[b];
                memcpy(trial, pairs, (size_t)count * sizeof(Paired));
                if (twins(&q[x.i], &q[y.i])) { /* each candidate word keeps its pairing */
                    trial[a] = y;
                    trial[a].i = x.i;
                    trial[b] = x;
                    trial[b].i = y.i;
                } else if (twins(&c[x.j], &c[y.j])) { /* each query word keeps its pairing */
                    trial[a].j = y.j;
                    trial[b].j = x.j;
                } else {
                    continue;
                }
                if (++exchanges > TWIN_EXCHANGES) {
                    searching = 0;
                    continue;
                }
                int known = 0;
                for (Py_ssize_t t = 0; t < queued && !known; t++)
                    known = same_partners(queue + t * count, trial, count);
                if (known) continue;
                int kept = rotated(&view);
                if (kept) {
                    if (kept > 0) memcpy(al->pairs, trial, (size_t)count * sizeof(Paired));
                    found = kept;
                    searching = 0;
                } else if (queued < TWIN_PAIRINGS) {
                    memcpy(queue + queued++ * count, trial, (size_t)count * sizeof(Paired));
                }
            }
        }
    }
    if (found == 1) {
        for (Py_ssize_t n = 0; n < count; n++) {
            Paired *p = &al->pairs[n];
            double score = PyUnicode_Compare(p->how, how_gender) != 0 ? p->similarity : 0.0;
            q[p->i].score = c[p->j].score = score;
        }
    }
    PyMem_Free(queue);
    PyMem_Free(trial);
    return found;
}

static void free_alignment(Alignment *al) {
    if (al->options)
        for (Py_ssize_t n = 0; n < al->option_count; n++) Py_XDECREF(al->options[n].how);
    PyMem_Free(al->options);
    PyMem_Free(al->pairs);
    PyMem_Free(al->runs);
}

/* The greedy assignment and the acronyms: scoring._align_python; -1 on error. */
/* `person`: the candidate is a listed person's name, which an acronym may not spell whole (see
 * scoring._align_python) */
static int align(Tok *q, Py_ssize_t q_count, Tok *c, Py_ssize_t c_count, Alignment *al,
                 int person) {
    Py_ssize_t most = q_count * c_count + 1;
    al->options = PyMem_Calloc((size_t)most, sizeof(Option));
    al->pairs = PyMem_Calloc((size_t)(q_count + c_count + 1), sizeof(Paired));
    al->runs = PyMem_Calloc((size_t)(q_count + c_count + 1), sizeof(Py_ssize_t));
    if (!al->options || !al->pairs || !al->runs) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < q_count; i++) {
        if (q[i].kind == STOP) continue;
        for (Py_ssize_t j = 0; j < c_count; j++) {
            if (c[j].kind == STOP) continue;
            double similarity;
            PyObject *how;
            if (token_similarity(&q[i], &c[j], &similarity, &how) < 0) return -1;
            if (similarity > 0) {
                Option *o = &al->options[al->option_count++];
                o->similarity = similarity;
                o->weight_sum = q[i].weight + c[j].weight;
                o->i = i;
                o->j = j;
                o->how = how;
            } else {
                Py_XDECREF(how);
            }
        }
    }
    qsort(al->options, (size_t)al->option_count, sizeof(Option), by_option);
    for (Py_ssize_t n = 0; n < al->option_count; n++) {
        Option *o = &al->options[n];
        Tok *a = &q[o->i], *b = &c[o->j];
        if (!a->free || !b->free) continue;
        a->free = b->free = 0;
        /* a feminine form is shown as a contrast, but neither side is found */
        if (PyUnicode_Compare(o->how, how_gender) != 0) a->score = b->score = o->similarity;
        Paired *p = &al->pairs[al->pair_count++];
        p->similarity = o->similarity;
        p->weight = a->weight < b->weight ? a->weight : b->weight;
        p->i = o->i;
        p->j = o->j;
        p->how = o->how;
    }
    int kept = rotated(al); /* the greedy pairs' order: the acronyms' pairs do not count */
    if (kept == 0) kept = untwine(q, c, al);
    int word_paired = 0; /* scoring._align_python */
    for (Py_ssize_t n = 0; n < al->pair_count && !word_paired; n++) {
        const Paired *p = &al->pairs[n];
        word_paired = q[p->i].score > 0 && (telling(q[p->i].kind) || telling(c[p->j].kind));
    }
    if (!person || word_paired) {
        Py_ssize_t greedy = al->pair_count;
        Py_ssize_t shortest = word_paired ? 2 : (Py_ssize_t)MIN_ACRONYM_ALONE;
        pair_both_acronyms(q, q_count, c, c_count, al, shortest);
        int spelt = 0; /* a longer acronym of a telling word */
        for (Py_ssize_t n = greedy; n < al->pair_count && !spelt; n++) {
            const Paired *p = &al->pairs[n];
            const Tok *long_side = p->query_side ? c : q;
            for (Py_ssize_t r = 0; r < p->run_length; r++)
                spelt |= telling(long_side[al->runs[p->run_start + r]].kind);
        }
        if (shortest > 2 && spelt) pair_both_acronyms(q, q_count, c, c_count, al, 2);
    }
    if (kept < 0) {
        PyErr_NoMemory();
        return -1;
    }
    al->order_break = !kept;
    return 0;
}

typedef struct {
    double total, covered, exact, missing, leftover, numbers, number_missing;
    int all_exact, distinctive;
} Side;

/* scoring._side */
static Side side_of(Tok *tokens, Py_ssize_t count) {
    Side s = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1, 0};
    for (Py_ssize_t n = 0; n < count; n++) {
        Tok *t = &tokens[n];
        if (t->kind == STOP) continue;
        s.total += t->weight;
        if (kind_distinctive[t->kind]) s.distinctive++;
        if (t->score != 0.0) {
            s.covered += t->score * t->weight;
            if (t->score >= EXACT_ENOUGH) s.exact += t->weight;
            if (t->score != 1.0) s.all_exact = 0;
            continue;
        }
        s.all_exact = 0;
        if (kind_conflict[t->kind] > s.leftover) s.leftover = kind_conflict[t->kind];
        if (t->kind == NUMBER) {
            s.numbers += t->weight;
            if (t->weight > s.number_missing) s.number_missing = t->weight;
        } else if (kind_distinctive[t->kind]) {
            if (t->weight > s.missing) s.missing = t->weight;
        } else if (t->kind == LOCATION) {
            double located = t->weight * LOCATION_MISSING;
            if (located > s.missing) s.missing = located;
        }
    }
    return s;
}

#define FEATURES 13
#define ORDER_BREAK_AT 10 /* Features.vector()'s order_break */

/* scoring._result's numbers: the similarity and Features.vector() */
static void feature_values(Tok *q, Py_ssize_t q_count, Tok *c, Py_ssize_t c_count,
                           const Alignment *al, double *similarity, double *vector) {
    Side qs = side_of(q, q_count), cs = side_of(c, c_count);
    int number_conflict = qs.numbers != 0.0 && cs.numbers != 0.0;
    double q_total = qs.total, c_total = cs.total;
    double q_missing = qs.missing, c_missing = cs.missing;
    if (number_conflict) {
        q_total -= qs.numbers;
        c_total -= cs.numbers;
    } else {
        if (qs.number_missing > q_missing) q_missing = qs.number_missing;
        if (cs.number_missing > c_missing) c_missing = cs.number_missing;
    }
    if (q_total == 0.0) q_total = 1.0;
    if (c_total == 0.0) c_total = 1.0;
    double q_coverage = qs.covered / q_total, c_coverage = cs.covered / c_total;
    double fuzzy_loss = 0.0, matched = 0.0;
    for (Py_ssize_t n = 0; n < al->pair_count; n++) {
        const Paired *p = &al->pairs[n];
        matched += p->similarity * p->weight;
        if (p->similarity < EXACT_ENOUGH) {
            double loss = (1 - p->similarity) * p->weight;
            if (loss > fuzzy_loss) fuzzy_loss = loss;
        }
    }
    double capped = matched < MATCHED_WEIGHT_CAP ? matched : MATCHED_WEIGHT_CAP;
    double missing = q_missing > c_missing ? q_missing : c_missing;
    *similarity = (q_coverage + c_coverage) / 2 - 0.5 * missing;
    if (*similarity < 0.0) *similarity = 0.0;
    double values[FEATURES] = {q_coverage,
                               c_coverage,
                               qs.exact / q_total,
                               cs.exact / c_total,
                               q_missing,
                               c_missing,
                               fuzzy_loss,
                               capped / MATCHED_WEIGHT_CAP,
                               number_conflict ? 1.0 : 0.0,
                               qs.leftover < cs.leftover ? qs.leftover : cs.leftover,
                               al->order_break ? 1.0 : 0.0,
                               (qs.all_exact && cs.all_exact) ? 1.0 : 0.0,
                               qs.distinctive <= 1 ? 1.0 : 0.0};
    memcpy(vector, values, sizeof(values));
}

/* Features.vector() as a tuple of Python floats */
static PyObject *vector_tuple(const double *vector) {
    PyObject *values = PyTuple_New(FEATURES);
    for (Py_ssize_t n = 0; values && n < FEATURES; n++) {
        PyObject *value = PyFloat_FromDouble(vector[n]);
        if (!value) {
            Py_CLEAR(values);
            break;
        }
        PyTuple_SET_ITEM(values, n, value);
    }
    return values;
}

/* (similarity, Features.vector()) as Python floats */
static PyObject *feature_tuple(double similarity, const double *vector) {
    PyObject *values = vector_tuple(vector);
    return values ? Py_BuildValue("(dN)", similarity, values) : NULL;
}

static PyObject *score_list(Tok *tokens, Py_ssize_t count) {
    PyObject *list = PyList_New(count);
    for (Py_ssize_t n = 0; list && n < count; n++) {
        PyObject *value = PyFloat_FromDouble(tokens[n].score);
        if (!value) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, n, value);
    }
    return list;
}

/* (query scores, candidate scores, greedy pairs, acronym pairs, order broken): what
 * scoring._align_python returns */
static PyObject *alignment_tuple(Tok *q, Py_ssize_t q_count, Tok *c, Py_ssize_t c_count,
                                 const Alignment *al) {
    PyObject *greedy = PyList_New(0), *acronyms = PyList_New(0);
    PyObject *q_scores = score_list(q, q_count), *c_scores = score_list(c, c_count);
    PyObject *result = NULL;
    if (!greedy || !acronyms || !q_scores || !c_scores) goto done;
    for (Py_ssize_t n = 0; n < al->pair_count; n++) {
        const Paired *p = &al->pairs[n];
        PyObject *item;
        if (p->j >= 0) {
            item = Py_BuildValue("(nndO)", p->i, p->j, p->similarity, p->how);
        } else {
            PyObject *run = PyTuple_New(p->run_length);
            for (Py_ssize_t k = 0; run && k < p->run_length; k++) {
                PyObject *position = PyLong_FromSsize_t(al->runs[p->run_start + k]);
                if (!position) {
                    Py_CLEAR(run);
                    break;
                }
                PyTuple_SET_ITEM(run, k, position);
            }
            item = run ? Py_BuildValue("(nNO)", p->i, run, p->query_side ? Py_True : Py_False)
                       : NULL;
        }
        if (!item || PyList_Append(p->j >= 0 ? greedy : acronyms, item) < 0) {
            Py_XDECREF(item);
            goto done;
        }
        Py_DECREF(item);
    }
    result = Py_BuildValue("(OOOOO)", q_scores, c_scores, greedy, acronyms,
                           al->order_break ? Py_True : Py_False);
done:
    Py_XDECREF(greedy);
    Py_XDECREF(acronyms);
    Py_XDECREF(q_scores);
    Py_XDECREF(c_scores);
    return result;
}

/* A form's tokens loaded with their weights (owned: release with unload). */
typedef struct {
    Tok *tokens;
    Py_ssize_t count;
} Loaded;

static void unload(Loaded *loaded) {
    if (!loaded->tokens) return;
    drop_keys(loaded->tokens, loaded->count);
    PyMem_Free(loaded->tokens);
    loaded->tokens = NULL;
}

/* Checks and loads a token tuple with its weights; -1 on error. */
static int load(PyObject *tuple, PyObject *weights, Loaded *out) {
    out->tokens = NULL;
    out->count = 0;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "interlock.match._native is not configured");
        return -1;
    }
    if (!PyTuple_Check(tuple)) {
        PyErr_SetString(PyExc_TypeError, "tokens: a tuple of Token");
        return -1;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(tuple);
    if (!PyList_Check(weights) || PyList_GET_SIZE(weights) != count) {
        PyErr_SetString(PyExc_ValueError, "the weights: a list, one float per token");
        return -1;
    }
    out->tokens = PyMem_Calloc((size_t)(count + 1), sizeof(Tok));
    if (!out->tokens) {
        PyErr_NoMemory();
        return -1;
    }
    out->count = count;
    if (load_tokens(tuple, weights, out->tokens, count) < 0) {
        PyMem_Free(out->tokens);
        out->tokens = NULL;
        return -1;
    }
    return 0;
}

/* Each form's tokens loaded (forms: a tuple of NameForm, weights: a list per form); NULL on
 * error. Release with release_forms. */
static Loaded *load_forms(PyObject *forms, PyObject *weights) {
    if (!PyTuple_Check(forms) || !PyList_Check(weights) ||
        PyTuple_GET_SIZE(forms) != PyList_GET_SIZE(weights)) {
        PyErr_SetString(PyExc_TypeError, "a name: a tuple of forms, a list of weights per form");
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(forms);
    Loaded *loaded = PyMem_Calloc((size_t)(count + 1), sizeof(Loaded));
    if (!loaded) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *form = PyTuple_GET_ITEM(forms, n);
        if (Py_TYPE(form) != form_type) {
            PyErr_SetString(PyExc_TypeError, "forms must be interlock.names.forms.NameForm");
            goto fail;
        }
        if (load(slot(form, offset_tokens), PyList_GET_ITEM(weights, n), &loaded[n]) < 0)
            goto fail;
    }
    return loaded;
fail:
    for (Py_ssize_t n = 0; n < count; n++) unload(&loaded[n]);
    PyMem_Free(loaded);
    return NULL;
}

static void release_forms(Loaded *loaded, Py_ssize_t count) {
    if (!loaded) return;
    for (Py_ssize_t n = 0; n < count; n++) unload(&loaded[n]);
    PyMem_Free(loaded);
}

/* A listed name's forms loaded once, for every search that scores it: pack(forms, weights). It
 * holds its forms, and a reference to every object its loaded tokens point to: a token's slots
 * could be set anew while it is packed. */
typedef struct {
    PyObject_HEAD
    PyObject *forms;   /* tuple of NameForm */
    Loaded *loaded;
    Py_ssize_t count;
    int person;        /* read as a person's name: scored with the person model */
    int weak;          /* a weak alias: its log-odds take the weak-alias effect */
    PyObject *owner;   /* what a result names it by (the index's IndexedName) */
} Packed;

static void hold_tokens(const Loaded *loaded, Py_ssize_t count, int hold) {
    for (Py_ssize_t n = 0; n < count; n++)
        for (Py_ssize_t t = 0; t < loaded[n].count; t++) {
            Tok *token = &loaded[n].tokens[t];
            PyObject *parts[4] = {token->text, token->alts, token->groups, token->group_bytes};
            for (int k = 0; k < 4; k++) {
                if (hold) Py_INCREF(parts[k]);
                else Py_DECREF(parts[k]);
            }
        }
}

static void packed_dealloc(Packed *self) {
    hold_tokens(self->loaded, self->count, 0);
    release_forms(self->loaded, self->count);
    Py_XDECREF(self->forms);
    Py_XDECREF(self->owner);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject packed_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "interlock.match._native.Packed",
    .tp_basicsize = sizeof(Packed),
    .tp_dealloc = (destructor)packed_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A name's forms and weights loaded for score_each (made by pack).",
};

static PyObject *pack(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || !PyBool_Check(args[2]) || !PyBool_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError,
                        "pack(forms, weights, person, weak, owner): a tuple of forms, a list of "
                        "weights per form, whether it is a person's name, whether a weak alias");
        return NULL;
    }
    Loaded *loaded = load_forms(args[0], args[1]);
    if (!loaded) return NULL;
    Py_ssize_t count = PyTuple_GET_SIZE(args[0]);
    Packed *packed = PyObject_New(Packed, &packed_type);
    if (!packed) {
        release_forms(loaded, count);
        return NULL;
    }
    packed->forms = Py_NewRef(args[0]);
    packed->loaded = loaded;
    packed->count = count;
    packed->person = args[2] == Py_True;
    packed->weak = args[3] == Py_True;
    packed->owner = Py_NewRef(args[4]);
    hold_tokens(loaded, count, 1);
    return (PyObject *)packed;
}

/* Aligns two loaded forms and calls `then`; -1 on error. The alignment marks copies of the
 * tokens: a packed name is shared by every search, and one search may let another thread run
 * while it calls into Python. */
typedef int (*Then)(Tok *, Py_ssize_t, Tok *, Py_ssize_t, const Alignment *, void *);

#define ON_STACK 24

static int align_loaded(const Loaded *q, const Loaded *c, int person, Then then, void *out) {
    Tok q_stack[ON_STACK], c_stack[ON_STACK];
    Tok *q_copy = q->count < ON_STACK ? q_stack : PyMem_Calloc((size_t)q->count + 1, sizeof(Tok));
    Tok *c_copy = c->count < ON_STACK ? c_stack : PyMem_Calloc((size_t)c->count + 1, sizeof(Tok));
    int status = -1;
    Alignment al = {0};
    if (!q_copy || !c_copy) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(q_copy, q->tokens, (size_t)(q->count + 1) * sizeof(Tok));
    memcpy(c_copy, c->tokens, (size_t)(c->count + 1) * sizeof(Tok));
    if (align(q_copy, q->count, c_copy, c->count, &al, person) >= 0)
        status = then(q_copy, q->count, c_copy, c->count, &al, out);
done:
    free_alignment(&al);
    if (q_copy != q_stack) PyMem_Free(q_copy);
    if (c_copy != c_stack) PyMem_Free(c_copy);
    return status;
}

/* Checks and loads two token tuples with their weights, aligns them and calls `then`; -1 on
 * error. */
static int aligned(PyObject *q_tuple, PyObject *q_weights, PyObject *c_tuple, PyObject *c_weights,
                   int person, Then then, void *out) {
    Loaded q, c = {NULL, 0};
    int status = -1;
    if (load(q_tuple, q_weights, &q) < 0) return -1;
    if (load(c_tuple, c_weights, &c) >= 0) status = align_loaded(&q, &c, person, then, out);
    unload(&q);
    unload(&c);
    return status;
}

typedef struct {
    double similarity;
    double vector[FEATURES];
} Scored;

static int keep_features(Tok *q, Py_ssize_t q_count, Tok *c, Py_ssize_t c_count,
                         const Alignment *al, void *out) {
    Scored *scored = out;
    feature_values(q, q_count, c, c_count, al, &scored->similarity, scored->vector);
    return 0;
}

static int keep_alignment(Tok *q, Py_ssize_t q_count, Tok *c, Py_ssize_t c_count,
                          const Alignment *al, void *out) {
    *(PyObject **)out = alignment_tuple(q, q_count, c, c_count, al);
    return *(PyObject **)out ? 0 : -1;
}

/* The trailing `person` argument of features, alignment and best: 1, 0, or -1 with an exception
 * set when it is missing. */
static int person_argument(PyObject *const *args, Py_ssize_t nargs, const char *usage) {
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, usage);
        return -1;
    }
    return PyObject_IsTrue(args[4]);
}

static PyObject *features(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    int person = person_argument(args, nargs,
                                 "features(query_tokens, query_weights, candidate_tokens, "
                                 "candidate_weights, person)");
    if (person < 0) return NULL;
    Scored scored;
    if (aligned(args[0], args[1], args[2], args[3], person, keep_features, &scored) < 0)
        return NULL;
    return feature_tuple(scored.similarity, scored.vector);
}

static PyObject *alignment(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    int person = person_argument(args, nargs,
                                 "alignment(query_tokens, query_weights, candidate_tokens, "
                                 "candidate_weights, person)");
    if (person < 0) return NULL;
    PyObject *result = NULL;
    if (aligned(args[0], args[1], args[2], args[3], person, keep_alignment, &result) < 0)
        return NULL;
    return result;
}

/* round(value, digits) as Python rounds (0 <= digits <= 15): the double nearest the decimal
 * that the value rounds to, halves to even. Where the scaled value is plainly not near a half,
 * its nearest whole number over the scale is that double (both exact doubles, their quotient
 * correctly rounded); near a half, or far past any feature or score, Python's own way, by the
 * decimal text. */
static int round_to(double value, int digits, double *out) {
    static const double scales[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    double scaled = value * scales[digits];
    if (fabs(scaled) < 1e9) { /* the product's own error stays under 1e-7 */
        double whole = nearbyint(scaled);
        if (fabs(fabs(scaled - whole) - 0.5) > 1e-6) {
            *out = whole / scales[digits];
            return 0;
        }
    }
    char *text = PyOS_double_to_string(value, 'f', digits, 0, NULL);
    if (!text) return -1;
    *out = PyOS_string_to_double(text, NULL, NULL);
    PyMem_Free(text);
    return *out == -1.0 && PyErr_Occurred() ? -1 : 0;
}

/* round(value, 3) as a new float */
static PyObject *rounded(double value) {
    double back;
    return round_to(value, 3, &back) < 0 ? NULL : PyFloat_FromDouble(back);
}

/* rounded(values, digits) -> [round(v, digits) for v in values]: a tuple of floats */
static PyObject *rounded_all(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyTuple_Check(args[0]) || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "rounded(values: a tuple of float, digits: int)");
        return NULL;
    }
    long digits = PyLong_AsLong(args[1]);
    if (digits < 0 || digits > 15) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "digits: 0 to 15");
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(args[0]);
    PyObject *result = PyList_New(count);
    for (Py_ssize_t n = 0; result && n < count; n++) {
        PyObject *item = PyTuple_GET_ITEM(args[0], n);
        double back;
        if (!PyFloat_Check(item)) { /* round() keeps an int an int */
            PyErr_SetString(PyExc_TypeError, "rounded: every value a float");
            Py_CLEAR(result);
            break;
        }
        if (round_to(PyFloat_AS_DOUBLE(item), (int)digits, &back) < 0) {
            Py_CLEAR(result);
            break;
        }
        PyObject *made = PyFloat_FromDouble(back);
        if (!made) Py_CLEAR(result);
        else PyList_SET_ITEM(result, n, made);
    }
    return result;
}

static PyObject *key_query, *key_alias, *key_similarity, *key_how, *how_acronym, *one_space;

/* {"query", "alias", "similarity", "how"}: one pair of an explanation's alignment */
static PyObject *pair_detail(PyObject *query, PyObject *alias, double similarity, PyObject *how) {
    PyObject *value = rounded(similarity), *item = value ? PyDict_New() : NULL;
    if (!item || PyDict_SetItem(item, key_query, query) < 0 ||
        PyDict_SetItem(item, key_alias, alias) < 0 ||
        PyDict_SetItem(item, key_similarity, value) < 0 || PyDict_SetItem(item, key_how, how) < 0)
        Py_CLEAR(item);
    Py_XDECREF(value);
    return item;
}

/* the texts of the tokens that no pair scored, stopwords aside: scoring._unmatched */
static PyObject *unmatched_texts(Tok *tokens, Py_ssize_t count) {
    PyObject *list = PyList_New(0);
    for (Py_ssize_t n = 0; list && n < count; n++)
        if (tokens[n].score == 0.0 && tokens[n].kind != STOP &&
            PyList_Append(list, tokens[n].text) < 0)
            Py_CLEAR(list);
    return list;
}

/* a token's Token.via, or its pair's how where it has none (borrowed) */
static PyObject *via_or(PyObject *tokens, Py_ssize_t at, PyObject *otherwise) {
    PyObject *via = slot(PyTuple_GET_ITEM(tokens, at), offset_via);
    return via && PyUnicode_Check(via) && PyUnicode_GET_LENGTH(via) > 0 ? via : otherwise;
}

typedef struct {
    PyObject *q_tokens, *c_tokens; /* the forms' token tuples, for their via */
    PyObject *result;
} Describing;

/* an acronym pair's two texts: the short side's token and the long side's run, spaced */
static PyObject *run_text(Tok *long_side, const Alignment *al, const Paired *p) {
    PyObject *words = PyList_New(p->run_length);
    for (Py_ssize_t k = 0; words && k < p->run_length; k++)
        PyList_SET_ITEM(words, k, Py_NewRef(long_side[al->runs[p->run_start + k]].text));
    PyObject *joined = words ? PyUnicode_Join(one_space, words) : NULL;
    Py_XDECREF(words);
    return joined;
}

static int keep_description(Tok *q, Py_ssize_t q_count, Tok *c, Py_ssize_t c_count,
                            const Alignment *al, void *out) {
    Describing *describing = out;
    PyObject *pairs = PyList_New(0), *q_left = NULL, *c_left = NULL;
    if (!pairs) return -1;
    /* the greedy pairs, then the acronyms, as scoring._aligned lists them: align makes them so */
    for (Py_ssize_t n = 0; n < al->pair_count; n++) {
        const Paired *p = &al->pairs[n];
        PyObject *item;
        if (p->j >= 0) {
            PyObject *how = p->how;
            if (PyUnicode_Check(how) && PyUnicode_Compare(how, how_exact) == 0)
                how = via_or(describing->q_tokens, p->i,
                             via_or(describing->c_tokens, p->j, how));
            item = pair_detail(q[p->i].text, c[p->j].text, p->similarity, how);
        } else {
            Tok *short_side = p->query_side ? q : c, *long_side = p->query_side ? c : q;
            PyObject *spelled = run_text(long_side, al, p);
            PyObject *text = short_side[p->i].text;
            item = spelled ? pair_detail(p->query_side ? text : spelled,
                                         p->query_side ? spelled : text, p->similarity,
                                         how_acronym)
                           : NULL;
            Py_XDECREF(spelled);
        }
        if (!item || PyList_Append(pairs, item) < 0) {
            Py_XDECREF(item);
            goto failed;
        }
        Py_DECREF(item);
    }
    q_left = unmatched_texts(q, q_count);
    c_left = q_left ? unmatched_texts(c, c_count) : NULL;
    if (!c_left) goto failed;
    describing->result = PyTuple_Pack(3, pairs, q_left, c_left);
failed:
    Py_DECREF(pairs);
    Py_XDECREF(q_left);
    Py_XDECREF(c_left);
    return describing->result ? 0 : -1;
}

static int needs_joining(PyObject *query, PyObject *candidate);

/* Two forms' alignment as an explanation shows it, in `describing` (its result: alignment,
 * unmatched query texts, unmatched candidate texts): 1, or 0 when the forms' words are joined
 * first (scoring._aligned does that, in Python), or -1 on error. */
static int describe(PyObject *query_form, PyObject *query_weights, PyObject *candidate_form,
                    PyObject *candidate_weights, int person, Describing *describing) {
    int joining = needs_joining(query_form, candidate_form);
    if (joining) return joining < 0 ? -1 : 0;
    *describing = (Describing){slot(query_form, offset_tokens), slot(candidate_form, offset_tokens),
                               NULL};
    if (!describing->q_tokens || !describing->c_tokens || !PyTuple_Check(describing->q_tokens) ||
        !PyTuple_Check(describing->c_tokens)) {
        PyErr_SetString(PyExc_AttributeError, "a form's tokens are not set");
        return -1;
    }
    if (aligned(describing->q_tokens, query_weights, describing->c_tokens, candidate_weights,
                person, keep_description, describing) < 0) {
        Py_CLEAR(describing->result);
        return -1;
    }
    return 1;
}

static PyObject *described(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    int person = person_argument(args, nargs,
                                 "described(query_form, query_weights, candidate_form, "
                                 "candidate_weights, person)");
    if (person < 0) return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "interlock.match._native is not configured");
        return NULL;
    }
    if (!PyObject_TypeCheck(args[0], form_type) || !PyObject_TypeCheck(args[2], form_type)) {
        PyErr_SetString(PyExc_TypeError, "described: two NameForm");
        return NULL;
    }
    Describing describing;
    int made = describe(args[0], args[1], args[2], args[3], person, &describing);
    return made < 0 ? NULL : made ? describing.result : Py_NewRef(Py_None);
}

static PyObject *key_score, *key_weak, *key_query_form, *key_query_form_via, *key_alias_form,
    *key_alias_form_via, *key_alignment, *key_unmatched_query, *key_unmatched_alias,
    *key_features;

/* NameForm.text: its tokens' texts, spaced */
static PyObject *form_text(PyObject *tokens) {
    Py_ssize_t count = PyTuple_GET_SIZE(tokens);
    PyObject *words = PyList_New(count);
    for (Py_ssize_t n = 0; words && n < count; n++) {
        PyObject *text = slot(PyTuple_GET_ITEM(tokens, n), offset_text);
        if (!text) {
            PyErr_SetString(PyExc_AttributeError, "a token's text is not set");
            Py_CLEAR(words);
            break;
        }
        PyList_SET_ITEM(words, n, Py_NewRef(text));
    }
    PyObject *joined = words ? PyUnicode_Join(one_space, words) : NULL;
    Py_XDECREF(words);
    return joined;
}

/* {feature name: round(value, 3)} in the names' order */
static PyObject *features_by_name(PyObject *values, PyObject *names) {
    PyObject *result = PyDict_New();
    for (Py_ssize_t n = 0; result && n < PyTuple_GET_SIZE(values); n++) {
        PyObject *value = PyTuple_GET_ITEM(values, n), *made = NULL;
        if (!PyFloat_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "detail: every feature a float");
        } else {
            made = rounded(PyFloat_AS_DOUBLE(value));
        }
        if (!made || PyDict_SetItem(result, PyTuple_GET_ITEM(names, n), made) < 0) Py_CLEAR(result);
        Py_XDECREF(made);
    }
    return result;
}

/* detail(display, score, weak, query_form, query_weights, candidate_form, candidate_weights,
 * person, features, feature_names) -> one alias's explanation as matcher._alias_detail makes it
 * from `described` (its items in that order), or None when the forms need joining: a search
 * explains a few aliases of each entry it shows, and a batch shows millions. */
static PyObject *detail(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 10 || !PyObject_TypeCheck(args[3], form_type) ||
        !PyObject_TypeCheck(args[5], form_type) || !PyTuple_Check(args[8]) ||
        !PyTuple_Check(args[9]) || PyTuple_GET_SIZE(args[8]) != PyTuple_GET_SIZE(args[9])) {
        PyErr_SetString(PyExc_TypeError,
                        "detail(display, score, weak, query_form, query_weights, candidate_form, "
                        "candidate_weights, person, features, feature_names): two NameForm and "
                        "as many feature names as features");
        return NULL;
    }
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "interlock.match._native is not configured");
        return NULL;
    }
    int person = PyObject_IsTrue(args[7]);
    if (person < 0) return NULL;
    Describing describing;
    int made = describe(args[3], args[4], args[5], args[6], person, &describing);
    if (made <= 0) return made < 0 ? NULL : Py_NewRef(Py_None); /* joined first, in Python */
    /* read once the alignment, which may call Python, is made */
    PyObject *q_via = slot(args[3], offset_form_via), *c_via = slot(args[5], offset_form_via);
    if (!q_via || !c_via) {
        Py_DECREF(describing.result);
        PyErr_SetString(PyExc_AttributeError, "a form's via is not set");
        return NULL;
    }
    PyObject *q_text = form_text(describing.q_tokens);
    PyObject *c_text = q_text ? form_text(describing.c_tokens) : NULL;
    PyObject *features = c_text ? features_by_name(args[8], args[9]) : NULL;
    PyObject *result = features ? PyDict_New() : NULL;
    if (result) {
        PyObject *items[][2] = {{key_alias, args[0]},
                                {key_score, args[1]},
                                {key_weak, args[2]},
                                {key_query_form, q_text},
                                {key_query_form_via, q_via},
                                {key_alias_form, c_text},
                                {key_alias_form_via, c_via},
                                {key_alignment, PyTuple_GET_ITEM(describing.result, 0)},
                                {key_unmatched_query, PyTuple_GET_ITEM(describing.result, 1)},
                                {key_unmatched_alias, PyTuple_GET_ITEM(describing.result, 2)},
                                {key_features, features}};
        for (size_t n = 0; n < sizeof(items) / sizeof(items[0]); n++)
            if (PyDict_SetItem(result, items[n][0], items[n][1]) < 0) {
                Py_CLEAR(result);
                break;
            }
    }
    Py_DECREF(describing.result);
    Py_XDECREF(q_text);
    Py_XDECREF(c_text);
    Py_XDECREF(features);
    return result;
}

/* scoring.needs_joining; -1 on error */
static int needs_joining(PyObject *query, PyObject *candidate) {
    PyObject *q_adjacent = slot(query, offset_adjacent), *c_adjacent = slot(candidate, offset_adjacent);
    PyObject *q_spellings = slot(query, offset_spellings);
    PyObject *c_spellings = slot(candidate, offset_spellings);
    if (!q_adjacent || !c_adjacent || !q_spellings || !c_spellings ||
        !PyAnySet_Check(q_adjacent) || !PyAnySet_Check(c_adjacent) ||
        !PyAnySet_Check(q_spellings) || !PyAnySet_Check(c_spellings)) {
        PyErr_SetString(PyExc_TypeError, "a form's adjacent and spellings must be sets");
        return -1;
    }
    const int64_t *hashes[4];
    Py_ssize_t counts[4];
    PyObject *arrays[4] = {slot(query, offset_adjacent_spelled), slot(candidate, offset_spelled),
                           slot(candidate, offset_adjacent_spelled), slot(query, offset_spelled)};
    for (int n = 0; n < 4; n++) {
        if (!arrays[n]) {
            PyErr_SetString(PyExc_AttributeError, "a form's slot is not set");
            return -1;
        }
        if (sorted_array(arrays[n], &hashes[n], &counts[n]) < 0) return -1;
    }
    /* the sets are read only where their hashes meet: nearly never */
    int apart = 1;
    if (overlap(hashes[0], counts[0], hashes[1], counts[1]))
        apart = disjoint(q_adjacent, c_spellings);
    if (apart == 1 && overlap(hashes[2], counts[2], hashes[3], counts[3]))
        apart = disjoint(c_adjacent, q_spellings);
    return apart < 0 ? -1 : !apart;
}

/* matcher.best_forms' loop over two names' pairs of forms, the query's forms loaded (`q_loaded`,
 * one per form of `q_forms`): 1 with the best-scoring pair in `top`, `top_q` and `top_c` (of
 * equally similar pairs, one whose words are in order, else the first); 0 when a pair of forms
 * needs joining first or a name has no form; -1 on error. */
static int best_pair(PyObject *q_forms, const Loaded *q_loaded, PyObject *c_forms,
                     const Loaded *c_loaded, int person, Scored *top, Py_ssize_t *top_q,
                     Py_ssize_t *top_c) {
    Py_ssize_t q_count = PyTuple_GET_SIZE(q_forms), c_count = PyTuple_GET_SIZE(c_forms);
    for (Py_ssize_t i = 0; i < q_count; i++)
        for (Py_ssize_t j = 0; j < c_count; j++) {
            int joining = needs_joining(PyTuple_GET_ITEM(q_forms, i), PyTuple_GET_ITEM(c_forms, j));
            if (joining) return joining < 0 ? -1 : 0;
        }
    Scored scored;
    *top_q = *top_c = -1;
    for (Py_ssize_t i = 0; i < q_count; i++)
        for (Py_ssize_t j = 0; j < c_count; j++) {
            if (align_loaded(&q_loaded[i], &c_loaded[j], person, keep_features, &scored) < 0)
                return -1;
            /* of equally similar pairs, one whose words are in order ('X, Y' read as 'Y X') */
            if (*top_q < 0 || scored.similarity > top->similarity ||
                (scored.similarity == top->similarity &&
                 scored.vector[ORDER_BREAK_AT] < top->vector[ORDER_BREAK_AT])) {
                *top = scored;
                *top_q = i;
                *top_c = j;
            }
        }
    return *top_q >= 0;
}

/* best(query_forms, query_weights, candidate_forms, candidate_weights): (query form index,
 * candidate form index, (similarity, Features.vector())) of the best-scoring pair of forms, or
 * None when a pair of forms needs joining first. */
static PyObject *best(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    int person = person_argument(args, nargs,
                                 "best(query_forms, query_weights, candidate_forms, "
                                 "candidate_weights, person): tuples of forms, lists of weights");
    if (person < 0) return NULL;
    Scored top;
    Py_ssize_t top_q, top_c;
    Loaded *q_loaded = load_forms(args[0], args[1]);
    if (!q_loaded) return NULL;
    Loaded *c_loaded = load_forms(args[2], args[3]);
    int found = c_loaded ? best_pair(args[0], q_loaded, args[2], c_loaded, person, &top, &top_q,
                                     &top_c)
                         : -1;
    release_forms(q_loaded, PyTuple_GET_SIZE(args[0]));
    if (c_loaded) release_forms(c_loaded, PyTuple_GET_SIZE(args[2]));
    if (found < 0) return NULL;
    if (!found) Py_RETURN_NONE;
    PyObject *pair = feature_tuple(top.similarity, top.vector);
    return pair ? Py_BuildValue("(nnN)", top_q, top_c, pair) : NULL;
}

/* calibration.py's NODE_LAYOUT: a tree node, in pre-order (a split's left branch is the next node) */
typedef struct {
    int32_t feature; /* -1 for a leaf */
    int32_t right;
    double number; /* a split's threshold, a leaf's log-odds */
} Node;

_Static_assert(sizeof(Node) == 16 && offsetof(Node, number) == 8, "NODE_LAYOUT is =iid");

typedef struct {
    double baseline;
    const Node *nodes;
    const int32_t *roots;
    Py_ssize_t trees;
} Model;

/* TreeModel.log_odds_of: the baseline plus the leaf each tree sends the features to. */
static double model_log_odds(const Model *model, const double *vector) {
    double total = model->baseline;
    for (Py_ssize_t t = 0; t < model->trees; t++) {
        const Node *node = &model->nodes[model->roots[t]];
        while (node->feature >= 0)
            node = vector[node->feature] <= node->number ? node + 1 : &model->nodes[node->right];
        total += node->number;
    }
    return total;
}

/* Whether `type` is a tuple subclass adding no storage (a NamedTuple): one is made as tuple.__new__
 * makes it, without calling its Python constructor. */
static int plain_tuple_type(PyObject *type) {
    if (!PyType_Check(type) || !PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type) ||
        ((PyTypeObject *)type)->tp_basicsize != PyTuple_Type.tp_basicsize ||
        ((PyTypeObject *)type)->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "result types: NamedTuple classes");
        return 0;
    }
    return 1;
}

/* An instance of a plain tuple type holding `items` (new references, taken even on error). */
static PyObject *made(PyTypeObject *type, PyObject **items, Py_ssize_t count) {
    PyObject *made = NULL;
    int complete = 1;
    for (Py_ssize_t n = 0; n < count; n++) complete &= items[n] != NULL;
    if (complete) made = type->tp_alloc(type, count);
    for (Py_ssize_t n = 0; n < count; n++) {
        if (made) PyTuple_SET_ITEM(made, n, items[n]);
        else Py_XDECREF(items[n]);
    }
    return made;
}

/* A model's trees read once, for every search: forest(baseline, nodes, roots), TreeModel.native.
 * It holds the bytes its Model points into. */
typedef struct {
    PyObject_HEAD
    Model model;
    PyObject *nodes, *roots;
} Forest;

static void forest_dealloc(Forest *self) {
    Py_XDECREF(self->nodes);
    Py_XDECREF(self->roots);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject forest_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "interlock.match._native.Forest",
    .tp_basicsize = sizeof(Forest),
    .tp_dealloc = (destructor)forest_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A calibration model's trees read for log_odds and score_each (made by forest).",
};

/* Every branch is checked to lead forward to a node that exists, so a walk from any root ends
 * on a leaf. */
static PyObject *forest(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyBytes_Check(args[1]) || !PyBytes_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "forest(baseline, nodes, roots): TreeModel's packing");
        return NULL;
    }
    Model model;
    model.baseline = PyFloat_AsDouble(args[0]);
    if (model.baseline == -1.0 && PyErr_Occurred()) return NULL;
    Py_ssize_t count = PyBytes_GET_SIZE(args[1]) / (Py_ssize_t)sizeof(Node);
    model.nodes = (const Node *)PyBytes_AS_STRING(args[1]);
    model.roots = (const int32_t *)PyBytes_AS_STRING(args[2]);
    model.trees = PyBytes_GET_SIZE(args[2]) / (Py_ssize_t)sizeof(int32_t);
    const char *wrong = NULL;
    if (PyBytes_GET_SIZE(args[1]) % (Py_ssize_t)sizeof(Node) ||
        PyBytes_GET_SIZE(args[2]) % (Py_ssize_t)sizeof(int32_t))
        wrong = "not whole nodes and roots";
    for (Py_ssize_t n = 0; !wrong && n < count; n++) {
        const Node *node = &model.nodes[n];
        if (node->feature >= FEATURES || node->feature < -1) wrong = "a split on no feature";
        else if (node->feature >= 0 && !(n + 1 < count && node->right > n + 1 && node->right < count))
            wrong = "a branch leads to no later node";
    }
    if (!wrong && !model.trees) wrong = "no trees";
    for (Py_ssize_t t = 0; !wrong && t < model.trees; t++)
        if (model.roots[t] < 0 || model.roots[t] >= count) wrong = "a tree starts at no node";
    if (wrong) {
        PyErr_Format(PyExc_ValueError, "a model's trees: %s", wrong);
        return NULL;
    }
    Forest *made = PyObject_New(Forest, &forest_type);
    if (!made) return NULL;
    made->model = model;
    made->nodes = Py_NewRef(args[1]);
    made->roots = Py_NewRef(args[2]);
    return (PyObject *)made;
}

/* The Model of forest()'s result; NULL with TypeError for anything else. */
static const Model *model_of(PyObject *object) {
    if (Py_TYPE(object) != &forest_type) {
        PyErr_SetString(PyExc_TypeError, "a model: forest()'s result (TreeModel.native)");
        return NULL;
    }
    return &((Forest *)object)->model;
}

/* log_odds(model, vector): TreeModel.log_odds_of for forest()'s result and a Features.vector(). */
static PyObject *log_odds(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    double vector[FEATURES];
    if (nargs != 2 || !PyTuple_Check(args[1]) || PyTuple_GET_SIZE(args[1]) != FEATURES) {
        PyErr_SetString(PyExc_TypeError, "log_odds(TreeModel.native, Features.vector())");
        return NULL;
    }
    const Model *model = model_of(args[0]);
    if (!model) return NULL;
    for (Py_ssize_t n = 0; n < FEATURES; n++) {
        vector[n] = PyFloat_AsDouble(PyTuple_GET_ITEM(args[1], n));
        if (vector[n] == -1.0 && PyErr_Occurred()) return NULL;
    }
    return PyFloat_FromDouble(model_log_odds(model, vector));
}

/* score_each(query_forms, query_weights, names, models, weak_effect, (FormScore, AliasScore)):
 * for each name (packed by `pack`), `best` and the log-odds of one of the two models (each a
 * TreeModel.native: the query's, and the one for a name packed as a person's),
 * plus weak_effect for a weak alias: AliasScore(owner, FormScore(query form, name form,
 * Features.vector()), log-odds), or None where `best` answers None. A search's names in one call. */
static PyObject *score_each(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    const Model *models[2];
    if (nargs != 6 || !PyList_Check(args[2]) || !PyTuple_Check(args[3]) ||
        PyTuple_GET_SIZE(args[3]) != 2 || !PyTuple_Check(args[5]) ||
        PyTuple_GET_SIZE(args[5]) != 2) {
        PyErr_SetString(PyExc_TypeError, "score_each(query_forms, query_weights, names, (model, "
                                         "person model), weak_effect, (FormScore, AliasScore))");
        return NULL;
    }
    if (!(models[0] = model_of(PyTuple_GET_ITEM(args[3], 0))) ||
        !(models[1] = model_of(PyTuple_GET_ITEM(args[3], 1))))
        return NULL;
    double weak_effect = PyFloat_AsDouble(args[4]);
    if (weak_effect == -1.0 && PyErr_Occurred()) return NULL;
    PyObject *form_score = PyTuple_GET_ITEM(args[5], 0), *alias_score = PyTuple_GET_ITEM(args[5], 1);
    if (!plain_tuple_type(form_score) || !plain_tuple_type(alias_score)) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(args[2]);
    Loaded *q_loaded = load_forms(args[0], args[1]); /* once: every name meets the same query */
    if (!q_loaded) return NULL;
    PyObject *results = PyList_New(count);
    if (!results) goto fail;
    for (Py_ssize_t n = 0; n < count; n++) /* every name checked before any is read ahead */
        if (Py_TYPE(PyList_GET_ITEM(args[2], n)) != &packed_type) {
            PyErr_SetString(PyExc_TypeError, "names: a list of pack()'s results");
            goto fail;
        }
    for (Py_ssize_t k = 0; k < count; k++) {
        /* the names are spread over the index: the next ones are asked for ahead of time, each
         * step of the way from the name to its tokens */
        if (k + 4 < count) prefetch(PyList_GET_ITEM(args[2], k + 4));
        if (k + 2 < count) {
            const Packed *ahead = (const Packed *)PyList_GET_ITEM(args[2], k + 2);
            prefetch(ahead->loaded);
            prefetch(ahead->forms);
        }
        if (k + 1 < count) {
            const Packed *next = (const Packed *)PyList_GET_ITEM(args[2], k + 1);
            for (Py_ssize_t n = 0; n < next->count; n++) {
                prefetch(next->loaded[n].tokens);
                prefetch(PyTuple_GET_ITEM(next->forms, n));
            }
        }
        Scored top;
        Py_ssize_t top_q, top_c;
        PyObject *name = PyList_GET_ITEM(args[2], k);
        Packed *packed = (Packed *)name;
        int found = best_pair(args[0], q_loaded, packed->forms, packed->loaded, packed->person,
                              &top, &top_q, &top_c);
        if (found < 0) goto fail;
        if (!found) {
            PyList_SET_ITEM(results, k, Py_NewRef(Py_None));
            continue;
        }
        double log_odds = model_log_odds(models[packed->person], top.vector);
        if (packed->weak) log_odds += weak_effect;
        PyObject *form_items[3] = {Py_NewRef(PyTuple_GET_ITEM(args[0], top_q)),
                                   Py_NewRef(PyTuple_GET_ITEM(packed->forms, top_c)),
                                   vector_tuple(top.vector)};
        PyObject *alias_items[3] = {Py_NewRef(packed->owner),
                                    made((PyTypeObject *)form_score, form_items, 3),
                                    PyFloat_FromDouble(log_odds)};
        PyObject *item = made((PyTypeObject *)alias_score, alias_items, 3);
        if (!item) goto fail;
        PyList_SET_ITEM(results, k, item);
    }
    release_forms(q_loaded, PyTuple_GET_SIZE(args[0]));
    return results;
fail:
    release_forms(q_loaded, PyTuple_GET_SIZE(args[0]));
    Py_XDECREF(results);
    return NULL;
}

/* ---- retrieval: index.NameIndex.candidates' tally, in C ------------------------------------ */

/* Per indexed name: the weight its query tokens credit it (found), this look-up's credit, the
 * best share over the query's forms and its rank, all in one line of the cache (a query credits
 * thousands of names spread over the index). Each value is valid where its stamp is the current
 * generation, so nothing is cleared between queries. The whole tally runs under the GIL and
 * calls no Python code, so threads never see it half done. */
typedef struct {
    unsigned found_at, credit_at, share_at;
    double found, credit, share, rank;
    char unused[64 - 4 * sizeof(unsigned) - 4 * sizeof(double)];
} NameTally;

typedef struct {
    Py_ssize_t size, used;
    NameTally *names; /* size, aligned to 64 bytes (freed with free) */
    Py_ssize_t *found_list, *credit_list, *share_list;
    Py_ssize_t found_count, credit_count, share_count;
    unsigned found_gen, credit_gen, share_gen;
} Tally;
static Tally tally;
_Static_assert(sizeof(NameTally) == 64, "a name's tally is one line of the cache");

static int tally_fit(Py_ssize_t size) {
    if (size <= tally.size) return 0;
    Tally grown = {0};
    grown.size = size;
    grown.names = zeroed_lines((size_t)size, sizeof(NameTally));
    grown.found_list = PyMem_Calloc(size, sizeof(Py_ssize_t));
    grown.credit_list = PyMem_Calloc(size, sizeof(Py_ssize_t));
    grown.share_list = PyMem_Calloc(size, sizeof(Py_ssize_t));
    int ok = grown.names && grown.found_list && grown.credit_list && grown.share_list;
    Tally *old = ok ? &tally : &grown;
    free(old->names);
    PyMem_Free(old->found_list);
    PyMem_Free(old->credit_list);
    PyMem_Free(old->share_list);
    if (!ok) {
        PyErr_NoMemory();
        return -1;
    }
    grown.found_gen = grown.credit_gen = grown.share_gen = 1;
    tally = grown;
    return 0;
}

/* The next generation of a stamp (the NameTally field at `stamp`); when the counter wraps,
 * every name's stamp is cleared. */
static unsigned next_generation(unsigned *generation, size_t stamp) {
    if (++*generation == 0) {
        for (Py_ssize_t n = 0; n < tally.size; n++)
            *(unsigned *)((char *)&tally.names[n] + stamp) = 0;
        *generation = 1;
    }
    return *generation;
}

/* The name positions posted under `key`: an array('i') read in place (release `view` after). */
static int posting(PyObject *postings, PyObject *key, Py_buffer *view) {
    PyObject *array = PyDict_GetItemWithError(postings, key);
    if (!array) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_KeyError, "no posting for %R", key);
        return -1;
    }
    if (PyObject_GetBuffer(array, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (view->itemsize != (Py_ssize_t)sizeof(int32_t) || !view->format ||
        strcmp(view->format, "i") != 0) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "a posting must be an array('i') of name positions");
        return -1;
    }
    return 0;
}

static void credit(Py_ssize_t at, double weight, int keep_first) {
    if (tally.names[at].credit_at != tally.credit_gen) {
        tally.names[at].credit_at = tally.credit_gen;
        tally.credit_list[tally.credit_count++] = at;
        tally.names[at].credit = weight;
    } else if (!keep_first) {
        tally.names[at].credit = weight;
    }
}

/* Credits `weight` to the names posted under each of `keys`. `how`: CREDIT_ALL; CREDIT_FOUND,
 * only names this form found already; or a posting length above which a posting is passed over,
 * the names credited keeping an earlier credit (near keys; -1: no length limit). */
#define TALLY_AHEAD 16 /* the names a posting credits next, asked for from memory ahead */
#define CREDIT_ALL (-2)
#define CREDIT_FOUND (-3)
static int credit_postings(PyObject *keys, PyObject *postings, Py_ssize_t names, double weight,
                           Py_ssize_t how) {
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(keys); k++) {
        Py_buffer view;
        if (posting(postings, PyList_GET_ITEM(keys, k), &view) < 0) return -1;
        const int32_t *positions = view.buf;
        Py_ssize_t size = view.len / (Py_ssize_t)sizeof(int32_t);
        if (how >= 0 && size > how) {
            PyBuffer_Release(&view);
            continue;
        }
        for (Py_ssize_t n = 0; n < size; n++) {
            Py_ssize_t at = positions[n];
            if (n + TALLY_AHEAD < size) {
                Py_ssize_t ahead = positions[n + TALLY_AHEAD];
                if (ahead >= 0 && ahead < names) prefetch(&tally.names[ahead]);
            }
            if (at < 0 || at >= names) {
                PyBuffer_Release(&view);
                PyErr_SetString(PyExc_IndexError, "a posting names a position past the index");
                return -1;
            }
            if (how == CREDIT_FOUND && tally.names[at].found_at != tally.found_gen) continue;
            credit(at, weight, how != CREDIT_ALL && how != CREDIT_FOUND);
        }
        PyBuffer_Release(&view);
    }
    return 0;
}

/* One look-up (size, weight, keys, near, by_token) added to the form's tally. */
static int tally_lookup(PyObject *lookup, PyObject *postings, Py_ssize_t names,
                        const double *limits, Py_ssize_t *seeds) {
    Py_ssize_t size;
    double weight;
    PyObject *keys, *near;
    int by_token;
    if (!PyTuple_Check(lookup) ||
        !PyArg_ParseTuple(lookup, "ndO!O!p", &size, &weight, &PyList_Type, &keys, &PyList_Type,
                          &near, &by_token))
        return -1;
    double long_posting = limits[0], seed_count = limits[1], seed_posting = limits[2];
    double close = weight * limits[3];
    int found_any = tally.found_count > 0;
    next_generation(&tally.credit_gen, offsetof(NameTally, credit_at));
    tally.credit_count = 0;
    int seeding = size <= long_posting || !found_any ||
                  (by_token && (*seeds == 0 || (*seeds < seed_count && size <= seed_posting)));
    if (seeding) {
        if (by_token && PyList_GET_SIZE(keys)) (*seeds)++;
        if (credit_postings(keys, postings, names, weight, CREDIT_ALL) < 0) return -1;
        if (credit_postings(near, postings, names, close,
                            found_any ? (Py_ssize_t)long_posting : -1) < 0)
            return -1;
    } else if (credit_postings(keys, postings, names, weight, CREDIT_FOUND) < 0) {
        return -1; /* a common token: only the names found so far that have it */
    }
    for (Py_ssize_t n = 0; n < tally.credit_count; n++) {
        Py_ssize_t at = tally.credit_list[n];
        if (tally.names[at].found_at != tally.found_gen) {
            tally.names[at].found_at = tally.found_gen;
            tally.found_list[tally.found_count++] = at;
            tally.names[at].found = 0.0;
        }
        tally.names[at].found = tally.names[at].found + tally.names[at].credit;
    }
    return 0;
}

/* Whether name `a` ranks before name `b`: higher rank first, equal ranks in index order. */
static int ranks_before(Py_ssize_t a, Py_ssize_t b) {
    if (tally.names[a].rank != tally.names[b].rank) return tally.names[a].rank > tally.names[b].rank;
    return a < b;
}

static int by_rank(const void *left, const void *right) {
    Py_ssize_t a = *(const Py_ssize_t *)left, b = *(const Py_ssize_t *)right;
    return ranks_before(a, b) ? -1 : ranks_before(b, a);
}

static void exchange(Py_ssize_t *names, Py_ssize_t a, Py_ssize_t b) {
    Py_ssize_t name = names[a];
    names[a] = names[b];
    names[b] = name;
}

/* Moves the `count` names that rank first to the front of `names`, in no order (a quickselect;
 * no two names rank alike, so the front holds the names a full sort would put there). */
static void rank_first(Py_ssize_t *names, Py_ssize_t length, Py_ssize_t count) {
    Py_ssize_t low = 0, high = length - 1;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        /* the median of three as the pivot, at `high` */
        if (ranks_before(names[middle], names[low])) exchange(names, middle, low);
        if (ranks_before(names[high], names[low])) exchange(names, high, low);
        if (ranks_before(names[middle], names[high])) exchange(names, middle, high);
        Py_ssize_t pivot = names[high], store = low;
        for (Py_ssize_t n = low; n < high; n++)
            if (ranks_before(names[n], pivot)) exchange(names, n, store++);
        exchange(names, high, store);
        if (store == count - 1 || store == count) return;
        if (store < count) low = store + 1;
        else high = store - 1;
    }
}

/* gather(plans, postings, name_weights, entries, admit, count, limits): see
 * NameIndex._gather_python, which this computes exactly. */
static PyObject *gather_over(PyObject *const *args, const double *weights, Py_ssize_t names);

static PyObject *gather(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 7 || !PyList_Check(args[0]) || !PyDict_Check(args[1]) ||
        !PyList_Check(args[3]) || (args[4] != Py_None && !PyAnySet_Check(args[4])) ||
        !PyLong_Check(args[5]) || !PyTuple_Check(args[6]) || PyTuple_GET_SIZE(args[6]) != 5) {
        PyErr_SetString(PyExc_TypeError,
                        "gather(plans, postings, name_weights: array('d'), entries, admit or None, "
                        "count, (long posting, seeds, seed posting, fuzzy discount, share bonus))");
        return NULL;
    }
    /* the weights in one block, read in place: as Python floats, each name's was a read from
     * wherever its float lay */
    Py_buffer view;
    if (PyObject_GetBuffer(args[2], &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return NULL;
    PyObject *result = NULL;
    if (view.itemsize != (Py_ssize_t)sizeof(double) || !view.format ||
        strcmp(view.format, "d") != 0 ||
        view.len / (Py_ssize_t)sizeof(double) != PyList_GET_SIZE(args[3]))
        PyErr_SetString(PyExc_TypeError, "gather: name_weights an array('d'), one per entry");
    else
        result = gather_over(args, view.buf, view.len / (Py_ssize_t)sizeof(double));
    PyBuffer_Release(&view);
    return result;
}

/* gather with the name weights read (`weights`, one per name of the index) */
static PyObject *gather_over(PyObject *const *args, const double *weights, Py_ssize_t names) {
    PyObject *plans = args[0], *postings = args[1], *entries = args[3];
    PyObject *admit = args[4];
    Py_ssize_t count = PyLong_AsSsize_t(args[5]);
    if (count < 0) return PyErr_Occurred() ? NULL : PyList_New(0);
    double limits[5];
    for (int n = 0; n < 5; n++) {
        limits[n] = PyFloat_AsDouble(PyTuple_GET_ITEM(args[6], n));
        if (limits[n] == -1.0 && PyErr_Occurred()) return NULL;
    }
    if (tally_fit(names) < 0) return NULL;
    next_generation(&tally.share_gen, offsetof(NameTally, share_at));
    tally.share_count = 0;
    for (Py_ssize_t f = 0; f < PyList_GET_SIZE(plans); f++) {
        double total;
        PyObject *lookups;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(plans, f), "dO!", &total, &PyList_Type, &lookups))
            return NULL;
        next_generation(&tally.found_gen, offsetof(NameTally, found_at));
        tally.found_count = 0;
        Py_ssize_t seeds = 0;
        for (Py_ssize_t l = 0; l < PyList_GET_SIZE(lookups); l++)
            if (tally_lookup(PyList_GET_ITEM(lookups, l), postings, names, limits, &seeds) < 0)
                return NULL;
        for (Py_ssize_t n = 0; n < tally.found_count; n++) {
            Py_ssize_t at = tally.found_list[n];
            double found = tally.names[at].found, share = found / total;
            if (share > 1.0) share = 1.0;
            double known = tally.names[at].share_at == tally.share_gen ? tally.names[at].share : 0.0;
            if (share > known) {
                double covered = found / weights[at];
                if (tally.names[at].share_at != tally.share_gen) {
                    tally.names[at].share_at = tally.share_gen;
                    tally.share_list[tally.share_count++] = at;
                }
                tally.names[at].share = share;
                tally.names[at].rank = share + limits[4] * (covered < 1.0 ? covered : 1.0);
            }
        }
    }
    Py_ssize_t kept = 0;
    for (Py_ssize_t n = 0; n < tally.share_count; n++) {
        Py_ssize_t at = tally.share_list[n];
        if (admit != Py_None) {
            int in = PySet_Contains(admit, PyList_GET_ITEM(entries, at));
            if (in < 0) return NULL;
            if (!in) continue;
        }
        tally.share_list[kept++] = at;
    }
    if (kept > count) {
        rank_first(tally.share_list, kept, count);
        kept = count;
    }
    qsort(tally.share_list, kept, sizeof(Py_ssize_t), by_rank);
    PyObject *result = PyList_New(kept);
    for (Py_ssize_t n = 0; result && n < kept; n++) {
        Py_ssize_t at = tally.share_list[n];
        PyObject *pair = Py_BuildValue("(nd)", at, tally.names[at].share);
        if (!pair) Py_CLEAR(result);
        else PyList_SET_ITEM(result, n, pair);
    }
    return result;
}

/* ---- respelling: the names spelt like the query, as rapidfuzz's process.extract with fuzz.ratio
 * finds them ---------------------------------------------------------------------------------- */

/* A text's characters counted in BUCKETS buckets (each count at most 255): two texts whose
 * counts differ by d in all need d insertions or deletions at least, whichever characters share
 * a bucket, so most texts too far from a query are passed over before the exact count. */
#define BUCKETS 32
typedef uint8_t Counts[BUCKETS];

static int bucket_of(Py_UCS4 c) {
    if (c >= 'a' && c <= 'z') return (int)(c - 'a');
    if (c >= '0' && c <= '9') return 26 + (int)(c - '0') % 3;
    return 29 + (int)(c % 3);
}

static void count_into(Counts counts, Py_UCS4 c) {
    uint8_t *count = &counts[bucket_of(c)];
    if (*count < UINT8_MAX) (*count)++;
}

/* the insertions and deletions two texts' counts need at least */
static Py_ssize_t counts_apart(const Counts a, const Counts b) {
    Py_ssize_t apart = 0;
    for (int n = 0; n < BUCKETS; n++) apart += a[n] > b[n] ? a[n] - b[n] : b[n] - a[n];
    return apart;
}

/* where a text's characters are, and their counts: one line of the cache, as a search reads
 * those of hundreds of texts spread over the index */
typedef struct {
    int64_t offset, length;
    Counts counts;
    uint8_t unused[64 - 2 * sizeof(int64_t) - sizeof(Counts)];
} TextRecord;

_Static_assert(sizeof(TextRecord) == 64, "a text's record is one line of the cache");

/* Texts kept in one block of characters, each at its offset: a search compares hundreds of them,
 * and reading one place costs less than reading hundreds of strings spread over memory. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t count;
    int width;             /* bytes a character: 1, 2 or 4, the widest text's */
    TextRecord *records;   /* count, aligned to 64 bytes (freed with free) */
    void *characters;
} Texts;

static void texts_dealloc(Texts *self) {
    free(self->records);
    PyMem_Free(self->characters);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject texts_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "interlock.match._native.Texts",
    .tp_basicsize = sizeof(Texts),
    .tp_dealloc = (destructor)texts_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Texts in one block of characters, for respelt (made by texts).",
};

/* texts(list of str) -> Texts */
static PyObject *texts(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "texts(a list of str)");
        return NULL;
    }
    PyObject *list = args[0];
    Py_ssize_t count = PyList_GET_SIZE(list), total = 0;
    int width = 1;
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *text = PyList_GET_ITEM(list, n);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts: every item a str");
            return NULL;
        }
        total += PyUnicode_GET_LENGTH(text);
        if (PyUnicode_KIND(text) > width) width = PyUnicode_KIND(text);
    }
    Texts *made = PyObject_New(Texts, &texts_type);
    if (!made) return NULL;
    made->count = count;
    made->width = width;
    made->characters = PyMem_Malloc((size_t)(total ? total : 1) * (size_t)width);
    made->records = zeroed_lines((size_t)count, sizeof(TextRecord));
    if (!made->records || !made->characters) {
        Py_DECREF(made);
        return PyErr_NoMemory();
    }
    int64_t at = 0;
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *text = PyList_GET_ITEM(list, n);
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        made->records[n].offset = at;
        made->records[n].length = length;
        for (Py_ssize_t k = 0; k < length; k++, at++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            count_into(made->records[n].counts, c);
            if (width == 1) ((Py_UCS1 *)made->characters)[at] = (Py_UCS1)c;
            else if (width == 2) ((Py_UCS2 *)made->characters)[at] = (Py_UCS2)c;
            else ((Py_UCS4 *)made->characters)[at] = c;
        }
    }
    return (PyObject *)made;
}

/* A query's characters as bit masks, 64 positions a block: the pattern a bit-parallel longest
 * common subsequence reads. Rows are a character's masks; row 0, all clear, every character the
 * query lacks. */
typedef struct {
    Py_ssize_t length, blocks;
    uint64_t *masks;         /* rows × blocks */
    uint16_t ascii_row[128]; /* an ASCII character's row */
    Py_UCS4 *others;         /* the query's other characters, row 1 + ascii rows + n */
    Py_ssize_t other_count, ascii_rows;
} Pattern;

static Py_ssize_t pattern_row(const Pattern *pattern, Py_UCS4 c) {
    if (c < 128) return pattern->ascii_row[c];
    for (Py_ssize_t n = 0; n < pattern->other_count; n++)
        if (pattern->others[n] == c) return 1 + pattern->ascii_rows + n;
    return 0;
}

static int pattern_of(PyObject *query, Pattern *pattern) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(query);
    int kind = PyUnicode_KIND(query);
    const void *data = PyUnicode_DATA(query);
    memset(pattern, 0, sizeof(*pattern));
    pattern->length = length;
    pattern->blocks = (length + 63) / 64;
    pattern->others = PyMem_Malloc((size_t)(length ? length : 1) * sizeof(Py_UCS4));
    if (!pattern->others) return -1;
    Py_ssize_t rows = 1;
    for (Py_ssize_t k = 0; k < length; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c < 128 && !pattern->ascii_row[c]) pattern->ascii_row[c] = (uint16_t)rows++;
    }
    pattern->ascii_rows = rows - 1;
    for (Py_ssize_t k = 0; k < length; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c >= 128 && !pattern_row(pattern, c)) {
            pattern->others[pattern->other_count++] = c;
            rows++;
        }
    }
    pattern->masks = PyMem_Calloc((size_t)(rows * pattern->blocks + 1), sizeof(uint64_t));
    if (!pattern->masks) return -1;
    for (Py_ssize_t k = 0; k < length; k++) {
        Py_ssize_t row = pattern_row(pattern, PyUnicode_READ(kind, data, k));
        pattern->masks[row * pattern->blocks + k / 64] |= (uint64_t)1 << (k % 64);
    }
    return 0;
}

static void pattern_free(Pattern *pattern) {
    PyMem_Free(pattern->masks);
    PyMem_Free(pattern->others);
}

/* The length of the longest common subsequence of the query and a text (Hyyrö's bit-parallel
 * algorithm, block by block); `state` has room for the query's blocks. */
static Py_ssize_t common_subsequence(const Pattern *pattern, const Texts *texts, Py_ssize_t at,
                                     uint64_t *state) {
    Py_ssize_t blocks = pattern->blocks;
    for (Py_ssize_t w = 0; w < blocks; w++) state[w] = ~(uint64_t)0;
    const TextRecord *record = &texts->records[at];
    for (int64_t k = record->offset; k < record->offset + record->length; k++) {
        Py_UCS4 c = texts->width == 1   ? ((const Py_UCS1 *)texts->characters)[k]
                    : texts->width == 2 ? ((const Py_UCS2 *)texts->characters)[k]
                                        : ((const Py_UCS4 *)texts->characters)[k];
        const uint64_t *masks = pattern->masks + pattern_row(pattern, c) * blocks;
        uint64_t carry = 0;
        for (Py_ssize_t w = 0; w < blocks; w++) {
            uint64_t before = state[w], u = before & masks[w];
            uint64_t sum = before + u, x = sum + carry;
            carry = (sum < before) | (x < sum);
            state[w] = x | (before - u);
        }
    }
    Py_ssize_t common = 0;
    for (Py_ssize_t w = 0; w < blocks; w++) {
        Py_ssize_t used = w + 1 < blocks || pattern->length % 64 == 0 ? 64 : pattern->length % 64;
        uint64_t kept = used == 64 ? ~(uint64_t)0 : (((uint64_t)1 << used) - 1);
        common += __builtin_popcountll(~state[w] & kept);
    }
    return common;
}

typedef struct {
    double score;
    Py_ssize_t at;
} Respelling;

#define RECORDS_AHEAD 8

static int by_score(const void *left, const void *right) {
    const Respelling *a = left, *b = right;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

/* respelt(texts, positions, query, score_cutoff, limit) -> [(score, at)]: of the texts at
 * `positions`, the `limit` that fuzz.ratio scores highest against `query`, at or above
 * score_cutoff (a whole number, 0 to 100: rapidfuzz tests a fractional one its own way), best
 * first and equal scores by `at` (the index in `positions`): what process.extract(query,
 * [texts[p] for p in positions], scorer=fuzz.ratio, score_cutoff=..., limit=...) answers, its
 * choices aside. */
static PyObject *respelt(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || Py_TYPE(args[0]) != &texts_type || !PyList_Check(args[1]) ||
        !PyUnicode_Check(args[2]) || !PyLong_Check(args[3]) || !PyLong_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "respelt(texts, positions: list of int, query: str, score_cutoff: int, "
                        "limit: int)");
        return NULL;
    }
    const Texts *all = (const Texts *)args[0];
    PyObject *positions = args[1];
    long whole_cutoff = PyLong_AsLong(args[3]);
    if (whole_cutoff < 0 || whole_cutoff > 100) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "score_cutoff: 0 to 100");
        return NULL;
    }
    double cutoff = (double)whole_cutoff / 100.0; /* as rapidfuzz divides it */
    Py_ssize_t limit = PyLong_AsSsize_t(args[4]), count = PyList_GET_SIZE(positions);
    if (limit < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "limit: 0 or more");
        return NULL;
    }
    Pattern pattern;
    Respelling *found = PyMem_Malloc((size_t)(count ? count : 1) * sizeof(Respelling));
    Py_ssize_t *places = PyMem_Malloc((size_t)(count ? count : 1) * sizeof(Py_ssize_t));
    uint64_t *state = NULL;
    PyObject *result = NULL;
    if (pattern_of(args[2], &pattern) < 0 || !found || !places ||
        !(state = PyMem_Malloc((size_t)(pattern.blocks ? pattern.blocks : 1) * sizeof(uint64_t)))) {
        PyErr_NoMemory();
        goto done;
    }
    Counts query_counts = {0};
    int query_kind = PyUnicode_KIND(args[2]);
    const void *query_data = PyUnicode_DATA(args[2]);
    for (Py_ssize_t k = 0; k < pattern.length; k++)
        count_into(query_counts, PyUnicode_READ(query_kind, query_data, k));
    for (Py_ssize_t n = 0; n < count; n++) {
        Py_ssize_t at = places[n] = PyLong_AsSsize_t(PyList_GET_ITEM(positions, n));
        if (at == -1 && PyErr_Occurred()) goto done;
        if (at < 0 || at >= all->count) {
            PyErr_SetString(PyExc_IndexError, "respelt: a position past the texts");
            goto done;
        }
    }
    Py_ssize_t kept = 0;
    for (Py_ssize_t n = 0; n < count; n++) {
        /* the texts are spread over the index: each one's record is asked for ahead of time */
        if (n + RECORDS_AHEAD < count) prefetch(&all->records[places[n + RECORDS_AHEAD]]);
        Py_ssize_t at = places[n];
        Py_ssize_t length = (Py_ssize_t)all->records[at].length;
        Py_ssize_t sum = pattern.length + length;
        Py_ssize_t apart = pattern.length > length ? pattern.length - length
                                                   : length - pattern.length;
        /* at least `apart` insertions or deletions: too many to score at the cutoff */
        if (sum && 1.0 - (double)apart / (double)sum < cutoff) continue;
        apart = counts_apart(query_counts, all->records[at].counts);
        if (sum && 1.0 - (double)apart / (double)sum < cutoff) continue;
        double similarity = 1.0;
        if (sum) {
            Py_ssize_t distance = sum - 2 * common_subsequence(&pattern, all, at, state);
            similarity = 1.0 - (double)distance / (double)sum;
        }
        if (similarity >= cutoff) found[kept++] = (Respelling){similarity * 100.0, n};
    }
    qsort(found, (size_t)kept, sizeof(Respelling), by_score);
    if (kept > limit) kept = limit;
    result = PyList_New(kept);
    for (Py_ssize_t n = 0; result && n < kept; n++) {
        PyObject *pair = Py_BuildValue("(dn)", found[n].score, found[n].at);
        if (!pair) Py_CLEAR(result);
        else PyList_SET_ITEM(result, n, pair);
    }
done:
    pattern_free(&pattern);
    PyMem_Free(found);
    PyMem_Free(places);
    PyMem_Free(state);
    return result;
}

static int number_from(PyObject *constants, const char *name, double *out) {
    PyObject *value = PyDict_GetItemString(constants, name);
    if (!value) {
        PyErr_Format(PyExc_KeyError, "constant %s not given", name);
        return -1;
    }
    *out = PyFloat_AsDouble(value);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static void keep(PyObject **slot, PyObject *value) {
    Py_XINCREF(value);
    Py_XSETREF(*slot, value);
}

/* The offset of a slot of `type` holding an object (a member descriptor's), or -1. */
static Py_ssize_t slot_offset(PyTypeObject *type, const char *name) {
    PyObject *descriptor = PyObject_GetAttrString((PyObject *)type, name);
    if (!descriptor) return -1;
    Py_ssize_t offset = -1;
    if (Py_TYPE(descriptor) == &PyMemberDescr_Type) {
        PyMemberDef *member = ((PyMemberDescrObject *)descriptor)->d_member;
        if (member->type == T_OBJECT_EX || member->type == T_OBJECT) offset = member->offset;
    }
    Py_DECREF(descriptor);
    if (offset < 0) PyErr_Format(PyExc_TypeError, "Token.%s is not an object slot", name);
    return offset;
}

/* configure(token_type, form_type, kinds, conflict, distinctive, constants, budgets,
 * romanisation_key, phonetic_key, abjad_spelling, named_after_article, vowel_variants): kinds
 * in the order WORD NUMBER INITIAL LOCATION GENERIC LEGAL STOP; budgets: (_budget, _respelling_budget) by length, for the
 * lengths below BUDGET_LENGTHS. */
static PyObject *configure(PyObject *module, PyObject *args) {
    PyObject *token, *form, *kinds, *conflict, *distinctive, *constants, *budgets, *romanisation,
        *phonetic, *abjad_spelling, *named_after_article, *variants;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!O!OOOOO", &PyType_Type, &token, &PyType_Type, &form,
                          &PyTuple_Type, &kinds, &PyTuple_Type, &conflict, &PyTuple_Type,
                          &distinctive, &PyDict_Type, &constants, &PyTuple_Type, &budgets,
                          &romanisation, &phonetic, &abjad_spelling, &named_after_article,
                          &variants))
        return NULL;
    if (PyTuple_GET_SIZE(kinds) != KINDS || PyTuple_GET_SIZE(conflict) != KINDS ||
        PyTuple_GET_SIZE(distinctive) != KINDS) {
        PyErr_SetString(PyExc_ValueError, "one entry per kind");
        return NULL;
    }
    /* everything is read and checked before anything is kept: a configuration that does not fit
     * leaves the one before in place */
    struct {
        PyObject *type;
        const char *name;
        Py_ssize_t *slot;
        Py_ssize_t offset;
    } slots[] = {{token, "text", &offset_text, 0},
                 {token, "kind", &offset_kind, 0},
                 {token, "alts", &offset_alts, 0},
                 {token, "groups", &offset_groups, 0},
                 {token, "vowelless", &offset_vowelless, 0},
                 {token, "article", &offset_article, 0},
                 {token, "group_ids", &offset_group_ids, 0},
                 {token, "via", &offset_via, 0},
                 {form, "tokens", &offset_tokens, 0},
                 {form, "spellings", &offset_spellings, 0},
                 {form, "adjacent", &offset_adjacent, 0},
                 {form, "spelled", &offset_spelled, 0},
                 {form, "adjacent_spelled", &offset_adjacent_spelled, 0},
                 {form, "via", &offset_form_via, 0}};
    size_t slot_count = sizeof(slots) / sizeof(slots[0]);
    for (size_t n = 0; n < slot_count; n++) {
        slots[n].offset = slot_offset((PyTypeObject *)slots[n].type, slots[n].name);
        if (slots[n].offset < 0) return NULL;
    }
    double any_slips, name_slips; /* ints, handed over as the numbers are */
    struct {
        const char *name;
        double *slot;
        double value;
    } numbers[] = {{"EQUIVALENT", &EQUIVALENT, 0},
                   {"NAME_GROUP", &NAME_GROUP, 0},
                   {"EXACT_ENOUGH", &EXACT_ENOUGH, 0},
                   {"SPELLING", &SPELLING, 0},
                   {"MATCHED_WEIGHT_CAP", &MATCHED_WEIGHT_CAP, 0},
                   {"CONSONANTS", &CONSONANTS, 0},
                   {"LOCATION_MISSING", &LOCATION_MISSING, 0},
                   {"DISTINCT_NAMES", &DISTINCT_NAMES, 0},
                   {"ACRONYM", &ACRONYM, 0},
                   {"MIN_ACRONYM_ALONE", &MIN_ACRONYM_ALONE, 0},
                   {"INITIAL", &INITIAL_LETTER, 0},
                   {"GENDER_FORM", &GENDER_FORM, 0},
                   {"PHONETIC", &PHONETIC, 0},
                   {"PHONETIC_LENGTH", &PHONETIC_LENGTH, 0},
                   {"ANY_SLIPS", &any_slips, 0},
                   {"NAME_SLIPS", &name_slips, 0}};
    size_t number_count = sizeof(numbers) / sizeof(numbers[0]);
    for (size_t n = 0; n < number_count; n++)
        if (number_from(constants, numbers[n].name, &numbers[n].value) < 0) return NULL;
    int budget_tables[2][BUDGET_LENGTHS];
    if (PyTuple_GET_SIZE(budgets) != 2) {
        PyErr_SetString(PyExc_ValueError, "budgets: (_budget, _respelling_budget) by length");
        return NULL;
    }
    for (int t = 0; t < 2; t++) {
        PyObject *table = PyTuple_GET_ITEM(budgets, t);
        if (!PyTuple_Check(table) || PyTuple_GET_SIZE(table) != BUDGET_LENGTHS) {
            PyErr_Format(PyExc_ValueError, "a budget for each length below %d", BUDGET_LENGTHS);
            return NULL;
        }
        for (int n = 0; n < BUDGET_LENGTHS; n++) {
            long value = PyLong_AsLong(PyTuple_GET_ITEM(table, n));
            if (value == -1 && PyErr_Occurred()) return NULL;
            budget_tables[t][n] = (int)value;
        }
    }
    double conflicts[KINDS];
    int distinctives[KINDS];
    for (int k = 0; k < KINDS; k++) {
        conflicts[k] = PyFloat_AsDouble(PyTuple_GET_ITEM(conflict, k));
        distinctives[k] = PyObject_IsTrue(PyTuple_GET_ITEM(distinctive, k));
        if (PyErr_Occurred()) return NULL;
    }
    if (!memo && !(memo = PyMem_Calloc(MEMO_SLOTS, sizeof(Memo)))) return PyErr_NoMemory();

    for (size_t n = 0; n < slot_count; n++) *slots[n].slot = slots[n].offset;
    for (size_t n = 0; n < number_count; n++) *numbers[n].slot = numbers[n].value;
    ANY_SLIPS = (int)any_slips;
    NAME_SLIPS = (int)name_slips;
    for (int k = 0; k < KINDS; k++) {
        keep(&kind_members[k], PyTuple_GET_ITEM(kinds, k));
        kind_conflict[k] = conflicts[k];
        kind_distinctive[k] = distinctives[k];
    }
    keep((PyObject **)&token_type, token);
    keep((PyObject **)&form_type, form);
    memcpy(typo_budget, budget_tables[0], sizeof(typo_budget));
    memcpy(respelling_budget, budget_tables[1], sizeof(respelling_budget));
    forget_all(); /* the answers of the helpers configured before */
    configuration++;
    keep(&romanisation_key_fn, romanisation);
    keep(&phonetic_key_fn, phonetic);
    keep(&abjad_spelling_fn, abjad_spelling);
    keep(&named_after_article_fn, named_after_article);
    keep(&vowel_variants_fn, variants);
    configured = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "Hand over scoring.py's constants and helpers."},
    {"features", (PyCFunction)(void (*)(void))features, METH_FASTCALL,
     "features(query_tokens, query_weights, candidate_tokens, candidate_weights, person) -> "
     "(similarity, Features.vector())"},
    {"text_similarity", (PyCFunction)(void (*)(void))text_similarity, METH_FASTCALL,
     "text_similarity(a, b, sound_slips=-1) -> (similarity, how): scoring.text_similarity"},
    {"pack", (PyCFunction)(void (*)(void))pack, METH_FASTCALL,
     "pack(forms, weights, person, weak, owner) -> a name's forms loaded for score_each"},
    {"log_odds", (PyCFunction)(void (*)(void))log_odds, METH_FASTCALL,
     "log_odds(TreeModel.native, Features.vector()) -> TreeModel.log_odds_of"},
    {"forest", (PyCFunction)(void (*)(void))forest, METH_FASTCALL,
     "forest(baseline, nodes, roots) -> a TreeModel's trees read for log_odds and score_each"},
    {"score_each", (PyCFunction)(void (*)(void))score_each, METH_FASTCALL,
     "score_each(query_forms, query_weights, names, (model, person model), weak_effect, "
     "(FormScore, AliasScore)) -> per packed name its AliasScore, or None where best answers "
     "None"},
    {"best", (PyCFunction)(void (*)(void))best, METH_FASTCALL,
     "best(query_forms, query_weights, candidate_forms, candidate_weights, person) -> "
     "(query form, candidate form, (similarity, Features.vector())), or None when forms need "
     "joining"},
    {"gather", (PyCFunction)(void (*)(void))gather, METH_FASTCALL,
     "gather(plans, postings, name_weights, entries, admit, count, limits) -> [(position, "
     "share)]: NameIndex.candidates' tally"},
    {"described", (PyCFunction)(void (*)(void))described, METH_FASTCALL,
     "described(query_form, query_weights, candidate_form, candidate_weights, person) -> "
     "(alignment, unmatched query texts, unmatched candidate texts) as scoring.described gives "
     "them, or None when the forms need joining"},
    {"detail", (PyCFunction)(void (*)(void))detail, METH_FASTCALL,
     "detail(display, score, weak, query_form, query_weights, candidate_form, "
     "candidate_weights, person, features, feature_names) -> an alias's explanation as "
     "matcher._alias_detail makes it, or None when the forms need joining"},
    {"rounded", (PyCFunction)(void (*)(void))rounded_all, METH_FASTCALL,
     "rounded(values, digits) -> [round(v, digits) for v in values], a tuple of floats"},
    {"texts", (PyCFunction)(void (*)(void))texts, METH_FASTCALL,
     "texts(list of str) -> the texts in one block of characters, for respelt"},
    {"respelt", (PyCFunction)(void (*)(void))respelt, METH_FASTCALL,
     "respelt(texts, positions, query, score_cutoff, limit) -> [(fuzz.ratio score, index in "
     "positions)], best first: process.extract's answer over the texts at the positions"},
    {"alignment", (PyCFunction)(void (*)(void))alignment, METH_FASTCALL,
     "alignment(query_tokens, query_weights, candidate_tokens, candidate_weights, person) -> "
     "(query scores, candidate scores, greedy pairs, acronym pairs, order broken)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_definition = {PyModuleDef_HEAD_INIT, "_native",
                                               "scoring.compare's inner loop, in C.", -1, methods};

PyMODINIT_FUNC PyInit__native(void) {
    struct {
        PyObject **slot;
        const char *text;
    } strings[] = {{&how_exact, "exact"},
                   {&how_equivalent, "equivalent"}, {&how_consonants, "consonants"},
                   {&how_name_group, "name group"}, {&how_different, "different names"},
                   {&how_gender, "gender form"},   {&how_spelling, "spelling"},
                   {&how_fuzzy, "fuzzy"},          {&how_typo, "typo"},
                   {&how_initial, "initial"},      {&how_phonetic, "phonetic"},
                   {&how_nothing, ""},             {&how_acronym, "acronym"},
                   {&key_query, "query"},          {&key_alias, "alias"},
                   {&key_similarity, "similarity"}, {&key_how, "how"},
                   {&one_space, " "},              {&key_score, "score"},
                   {&key_weak, "weak"},            {&key_query_form, "query_form"},
                   {&key_query_form_via, "query_form_via"},
                   {&key_alias_form, "alias_form"}, {&key_alias_form_via, "alias_form_via"},
                   {&key_alignment, "alignment"},  {&key_unmatched_query, "unmatched_query"},
                   {&key_unmatched_alias, "unmatched_alias"}, {&key_features, "features"}};
    for (size_t n = 0; n < sizeof(strings) / sizeof(strings[0]); n++) {
        *strings[n].slot = PyUnicode_InternFromString(strings[n].text);
        if (!*strings[n].slot) return NULL;
    }
    if (PyType_Ready(&packed_type) < 0 || PyType_Ready(&forest_type) < 0 ||
        PyType_Ready(&texts_type) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_definition);
    /* what scoring._load_native checks: an extension built from an older _native.c is not used */
    if (module && PyModule_AddIntConstant(module, "INTERFACE", INTERFACE) < 0) Py_CLEAR(module);
    return module;
}
