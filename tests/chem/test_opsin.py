"""OPSIN through one long-lived JVM: real Java, the real jar from py2opsin, no mocks."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from interlock.chem.opsin import Opsin, OpsinUnavailable, opsin_jar

if shutil.which("java") is None:
    pytest.skip("OPSIN needs a Java runtime and there is no java on PATH", allow_module_level=True)
if importlib.util.find_spec("py2opsin") is None:
    pytest.skip("OPSIN's jar comes with py2opsin, which is not installed", allow_module_level=True)
Chem = pytest.importorskip("rdkit.Chem", reason="structures are compared by RDKit InChIKey")

NPP = "1-phenethyl-4-piperidone"
NPP_KEY = "YDJXNYNKKXZBMP-UHFFFAOYSA-N"


def inchikey(smiles: str | None) -> str:
    assert smiles is not None
    return str(Chem.MolToInchiKey(Chem.MolFromSmiles(smiles)))


@pytest.fixture(scope="module")
def opsin() -> Iterator[Opsin]:
    with Opsin() as shared:
        yield shared


def test_the_jar_is_found_in_py2opsin() -> None:
    jar = opsin_jar()
    assert jar.is_file()
    assert jar.name.startswith("opsin-cli-")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        (NPP, NPP_KEY),
        ("N-phenyl-1-(2-phenylethyl)piperidin-4-amine", "ZCMDXDQUYIWEKB-UHFFFAOYSA-N"),  # ANPP
        ("tert-butyl 4-oxopiperidine-1-carboxylate", "ROUYFJUVMYHXFJ-UHFFFAOYSA-N"),
    ],
)
def test_precursor_names_give_the_right_structure(opsin: Opsin, name: str, key: str) -> None:
    [smiles] = opsin.to_smiles([name])
    assert inchikey(smiles) == key


def test_unparsable_and_blank_names_give_none_in_place(opsin: Opsin) -> None:
    smiles = opsin.to_smiles([NPP, "not a chemical name at all", "", "  \t ", "ethanol", NPP])
    assert smiles[1:4] == [None, None, None]
    assert inchikey(smiles[0]) == inchikey(smiles[5]) == NPP_KEY
    assert inchikey(smiles[4]) == "LFQSCWFLJHTTHZ-UHFFFAOYSA-N"  # ethanol


def test_control_characters_cannot_shift_later_answers(opsin: Opsin) -> None:
    smiles = opsin.to_smiles(
        ["1-phenethyl-\n4-piperidone", "benzene\r\nethanol", "eth\x00anol", "ethanol", NPP]
    )
    # a newline becomes a space, which OPSIN may or may not accept; either way the stream holds
    assert smiles[3] is not None and inchikey(smiles[3]) == "LFQSCWFLJHTTHZ-UHFFFAOYSA-N"
    assert inchikey(smiles[4]) == NPP_KEY
    assert opsin.to_smiles(["ethanol"]) == [smiles[3]]


def test_a_bare_string_is_refused(opsin: Opsin) -> None:
    with pytest.raises(TypeError):
        opsin.to_smiles("ethanol")


def test_one_process_serves_many_calls(opsin: Opsin) -> None:
    opsin.to_smiles(["ethanol"])
    pid = opsin.pid
    assert pid is not None
    assert opsin.to_smiles(["benzene", NPP])[0] is not None
    assert opsin.pid == pid


def test_concurrent_callers_each_get_their_own_answers(opsin: Opsin) -> None:
    expected = {name: opsin.to_smiles([name])[0] for name in ("ethanol", "benzene", NPP)}
    failures: list[str] = []

    def ask(name: str) -> None:
        for smiles in opsin.to_smiles([name] * 50):
            if smiles != expected[name]:
                failures.append(name)

    threads = [threading.Thread(target=ask, args=(name,)) for name in expected for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_close_then_call_starts_a_new_process() -> None:
    with Opsin() as opsin:
        assert opsin.pid is None  # nothing runs before the first call
        opsin.to_smiles(["ethanol"])
        first = opsin.pid
        opsin.close()
        assert opsin.pid is None
        assert opsin.to_smiles(["benzene"]) == ["C1=CC=CC=C1"]
        assert opsin.pid not in (None, first)
    assert opsin.pid is None


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_killed_process_is_restarted_and_the_batch_finished() -> None:
    names = ["propan-1-ol", "ethanol", "butan-1-ol", "benzene", NPP] * 400
    with Opsin() as opsin:
        expected = opsin.to_smiles(names)
        killed = opsin.pid
        assert killed is not None
        os.kill(killed, signal.SIGKILL)
        assert opsin.to_smiles(["ethanol"]) == ["C(C)O"]  # died between calls
        killed = opsin.pid
        assert killed is not None
        # the batch takes far longer than the delay, so the kill lands in the middle of it
        threading.Timer(0.05, os.kill, (killed, signal.SIGKILL)).start()
        assert opsin.to_smiles(names) == expected
        assert opsin.pid not in (None, killed)


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")
def test_a_hung_process_raises_instead_of_blocking() -> None:
    # long enough for a new JVM to start and answer on a busy machine (the restart below)
    with Opsin(timeout=5) as opsin:
        opsin.to_smiles(["ethanol"])
        hung = opsin.pid
        assert hung is not None
        os.kill(hung, signal.SIGSTOP)
        time.sleep(0.2)  # a multi-threaded JVM takes a moment to stop every thread
        with pytest.raises(OpsinUnavailable, match="no answer"):
            opsin.to_smiles(["benzene"])
        assert opsin.pid is None
        assert opsin.to_smiles(["benzene"]) == ["C1=CC=CC=C1"]


def test_missing_java_says_how_to_fix_it() -> None:
    with pytest.raises(OpsinUnavailable, match=r"/nonexistent/java.*install a Java runtime"):
        Opsin(java="/nonexistent/java").to_smiles(["ethanol"])


def test_a_process_that_keeps_dying_raises_after_one_restart(tmp_path: Path) -> None:
    broken = tmp_path / "opsin-cli-0-jar-with-dependencies.jar"
    broken.write_bytes(b"not a jar")
    with pytest.raises(OpsinUnavailable, match=r"again after a restart(?s:.*)corrupt jarfile"):
        Opsin(jar=broken).to_smiles(["ethanol"])


def test_a_missing_jar_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(OpsinUnavailable, match="install py2opsin"):
        Opsin(jar=tmp_path / "absent.jar").to_smiles(["ethanol"])
