"""Chemical names to SMILES with OPSIN (MIT), through one long-lived Java process.

The OPSIN jar ships in the py2opsin wheel, but py2opsin starts a JVM for every call, so only the
jar is used here. Its command line reads names from stdin, one per line, and writes one line per
name, flushed at once; with ``-n`` that line is ``SMILES<tab>name`` (SMILES empty on failure), and
the echoed name lets every answer be checked against the question it claims to answer.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import queue
import re
import shutil
import subprocess
import threading
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from fnmatch import fnmatch
from pathlib import Path
from types import TracebackType
from typing import IO

_JAR_PATTERN = "opsin-cli-*-jar-with-dependencies.jar"
_JAVA_FIX = "install a Java runtime (11 or newer) on PATH or in $JAVA_HOME"
_JAR_FIX = "install py2opsin (pip install py2opsin), whose wheel carries the OPSIN jar"
# OPSIN ends a line at CR as well as LF and ignores whatever follows a tab, so any control
# character could shift every later answer or cut a name short
_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
# lone surrogates cannot be written as UTF-8 at all
_SURROGATES = re.compile(r"[\ud800-\udfff]")


class OpsinUnavailable(RuntimeError):
    """Java or the OPSIN jar is missing, or the OPSIN process died or hung and a restart did not
    help; the message says which, and how to fix it."""


class _Gone(Exception):
    """The process ended, or answered out of step, so it cannot be trusted with the next name."""


def opsin_jar() -> Path:
    """The OPSIN command-line jar inside the installed py2opsin package."""
    try:
        package = importlib.resources.files("py2opsin")
    except ModuleNotFoundError:
        raise OpsinUnavailable(f"py2opsin is not installed: {_JAR_FIX}") from None
    jars = [Path(str(entry)) for entry in package.iterdir() if fnmatch(entry.name, _JAR_PATTERN)]
    if not jars:
        raise OpsinUnavailable(f"no {_JAR_PATTERN} in {package}: reinstall py2opsin")
    # compare versions as numbers so that 2.10 would beat 2.9
    return max(jars, key=lambda jar: [int(part) for part in re.findall(r"\d+", jar.name)])


def _default_java() -> str:
    java = shutil.which("java")
    if java is None and (home := os.environ.get("JAVA_HOME")):
        java = shutil.which("java", path=os.path.join(home, "bin"))
    if java is None:
        raise OpsinUnavailable(f"no java executable on PATH or in $JAVA_HOME/bin: {_JAVA_FIX}")
    return java


def _clean(name: str) -> str:
    return _SEPARATORS.sub(" ", _SURROGATES.sub("", name)).strip()


def _read_lines(stream: IO[str], put: Callable[[str], object]) -> None:
    with stream:
        for line in stream:
            put(line)
    put("")  # every line read ends with a newline, so an empty one can mark the end


def _stop(popen: subprocess.Popen[str]) -> None:
    if popen.stdin is not None:
        with contextlib.suppress(OSError):  # the pipe is already broken if the JVM died
            popen.stdin.close()
    # OPSIN keeps no state worth a graceful exit, and a hung JVM may ignore anything gentler
    popen.kill()
    popen.wait()


class _Process:
    """One OPSIN JVM, with threads that keep its stdout and stderr drained."""

    def __init__(self, java: str, jar: Path) -> None:
        try:
            self.popen = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                [java, "-jar", str(jar), "-osmi", "-n"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                encoding="utf-8",
                errors="replace",  # a decoding error must not kill a reader thread
            )
        except OSError as exc:
            raise OpsinUnavailable(f"cannot run Java at {java!r} ({exc}): {_JAVA_FIX}") from exc
        assert self.popen.stdout is not None and self.popen.stderr is not None
        self._answers: queue.SimpleQueue[str] = queue.SimpleQueue()
        # OPSIN explains every failed name on stderr; only the end is worth quoting in an error
        self._stderr: deque[str] = deque(maxlen=10)
        threading.Thread(
            target=_read_lines, args=(self.popen.stdout, self._answers.put), daemon=True
        ).start()
        self._stderr_reader = threading.Thread(
            target=_read_lines, args=(self.popen.stderr, self._stderr.append), daemon=True
        )
        self._stderr_reader.start()
        self._finalizer = weakref.finalize(self, _stop, self.popen)

    def ask(self, name: str, timeout: float) -> str | None:
        assert self.popen.stdin is not None
        try:
            self.popen.stdin.write(name + "\n")
            self.popen.stdin.flush()
        except OSError as exc:
            raise _Gone("OPSIN process had ended") from exc
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise OpsinUnavailable(
                f"OPSIN gave no answer for {name!r} within {timeout:g} s, so its process was "
                "stopped; a longer timeout may help if the machine is very busy"
            ) from None
        if not line:
            raise _Gone("OPSIN process ended")
        smiles, _, echo = line.rstrip("\r\n").partition("\t")
        if echo != name:
            raise _Gone(f"OPSIN answered {echo!r} when asked {name!r}")
        return smiles or None

    def stop(self) -> str:
        """Stop the JVM; returns how it ended, with the end of its stderr."""
        self._finalizer()
        self._stderr_reader.join(timeout=1)
        lines = "".join(f"\n    {line.rstrip()}" for line in self._stderr if line.strip())
        return f"exit code {self.popen.returncode}{lines}"


class Opsin:
    """Converts chemical names to SMILES with one OPSIN JVM, started on first use and reused.

    Thread-safe: calls take turns. The first call pays for the JVM start (a second or two).
    ``timeout`` bounds the wait for each answer, the first one's including that start.
    """

    def __init__(
        self, java: str | None = None, jar: Path | None = None, timeout: float = 20.0
    ) -> None:
        self._java = java
        self._jar = jar
        self._timeout = timeout
        self._lock = threading.Lock()
        self._process: _Process | None = None

    @property
    def pid(self) -> int | None:
        """The OPSIN process id; None before the first call and after close()."""
        process = self._process
        return None if process is None else process.popen.pid

    def to_smiles(self, names: Sequence[str]) -> list[str | None]:
        """SMILES for each name, in order; None where OPSIN cannot parse it (or it is blank).

        If the process dies, it is restarted once per call and the remaining names retried.
        """
        if isinstance(names, str):
            raise TypeError("to_smiles takes a sequence of names, not one name")
        cleaned = [_clean(name) for name in names]
        smiles: list[str | None] = [None] * len(cleaned)
        with self._lock:
            restarts_left = 1
            for index, name in enumerate(cleaned):
                if not name:
                    continue  # OPSIN would only say it was blank
                while True:
                    process = self._process or self._start()
                    try:
                        smiles[index] = process.ask(name, self._timeout)
                        break
                    except _Gone as gone:
                        ended = self._close_locked()
                        if not restarts_left:
                            raise OpsinUnavailable(
                                f"{gone} again after a restart ({ended}); {_JAVA_FIX} and "
                                f"{_JAR_FIX}"
                            ) from None
                        restarts_left -= 1
                    except BaseException:
                        # an answer may still be on its way and would be taken for the next one
                        self._close_locked()
                        raise
        return smiles

    def close(self) -> None:
        """Stop the JVM; a later call starts a new one."""
        with self._lock:
            self._close_locked()

    def __enter__(self) -> Opsin:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self) -> _Process:
        java = self._java or _default_java()
        jar = self._jar or opsin_jar()
        if not jar.is_file():
            raise OpsinUnavailable(f"OPSIN jar not found at {jar}: {_JAR_FIX}")
        self._process = _Process(java, jar)
        return self._process

    def _close_locked(self) -> str | None:
        process, self._process = self._process, None
        return None if process is None else process.stop()
