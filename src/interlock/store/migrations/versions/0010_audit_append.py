"""The audit chain linked inside PostgreSQL: `interlock_audit_append` takes the table lock, reads
each organisation's last record, hashes and inserts a batch of records, all in the one statement
that is its own transaction. The lock is then held for no round trip to a server process, whose
threads would each wait for the interpreter lock between round trips while the other server
processes waited for the table.

A record's hash is the SHA-256 of its canonical JSON (interlock.audit.log). The server process
writes that JSON in three pieces around the two values only the chain knows, the predecessor's
hash and the record's place in its organisation's chain; the function joins them. SQLite has no
such function and needs none: one process writes it.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

APPEND = """
CREATE FUNCTION interlock_audit_append(p_rows json, p_recorded_at timestamptz, p_retain_until date)
RETURNS TABLE (new_seq integer, new_org_seq integer, new_previous_hash text, new_record_hash text)
LANGUAGE plpgsql AS $$
DECLARE
    r json;
    v_org integer;
    v_place integer;
    v_previous text;
    v_hash text;
    v_anchor json;
    v_heads jsonb := '{}';
BEGIN
    -- under a stricter isolation the statement's snapshot predates the lock: the chain's head
    -- would be read as it was before the lock was granted
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'interlock_audit_append needs READ COMMITTED isolation, not %',
            current_setting('transaction_isolation');
    END IF;
    LOCK TABLE audit_log IN EXCLUSIVE MODE;
    SELECT coalesce(max(a.seq), 0) INTO new_seq FROM audit_log AS a;
    FOR r IN SELECT value FROM json_array_elements(p_rows) LOOP
        v_org := (r->>'org_id')::integer;
        IF v_heads ? v_org::text THEN
            v_place := (v_heads->v_org::text->>0)::integer;
            v_previous := v_heads->v_org::text->>1;
        ELSE
            SELECT a.org_seq, a.record_hash INTO v_place, v_previous FROM audit_log AS a
            WHERE a.org_id = v_org ORDER BY a.org_seq DESC LIMIT 1;
            IF NOT FOUND THEN  -- a new chain, or one whose records were all purged
                SELECT n.data INTO v_anchor FROM audit_anchor AS n WHERE n.id = v_org;
                IF FOUND THEN
                    v_place := (v_anchor->>'seq')::integer;
                    v_previous := v_anchor->>'record_hash';
                ELSE
                    v_place := 0;
                    v_previous := repeat('0', 64);
                END IF;
            END IF;
        END IF;
        new_seq := new_seq + 1;
        v_place := v_place + 1;
        v_hash := encode(sha256(convert_to(
            (r->>'head') || '"' || v_previous || '"' || (r->>'middle') || v_place::text
            || (r->>'tail'), 'UTF8')), 'hex');
        INSERT INTO audit_log (seq, org_id, org_seq, recorded_at, actor, action, subject,
                               input_hash, result_hash, data_version, detail, previous_hash,
                               record_hash, retain_until, legal_hold)
        VALUES (new_seq, v_org, v_place, p_recorded_at, r->>'actor', r->>'action',
                r->>'subject', r->>'input_hash', r->>'result_hash', r->>'data_version',
                r->'detail', v_previous, v_hash, p_retain_until, false);
        v_heads := v_heads || jsonb_build_object(v_org::text, jsonb_build_array(v_place, v_hash));
        new_org_seq := v_place;
        new_previous_hash := v_previous;
        new_record_hash := v_hash;
        RETURN NEXT;
    END LOOP;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION interlock_audit_append(json, timestamptz, date)")
