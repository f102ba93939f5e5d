"""Running dxmap: arguments from keywords, progress passed through, errors as exceptions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence

from ._binary import find_binary

# `file:line:col: error: message`, as dxmap writes every error it can place in a file.
_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<kind>error|warning): (?P<message>.*)$")


@dataclass
class Location:
    """Where in a scenario or sweep file dxmap found a problem."""

    file: str
    line: int
    column: int
    message: str


class DxmapError(RuntimeError):
    """dxmap refused or failed: its message, exit status (sysexits.h: 64 usage, 65 invalid input, 66 no input,
    73 cannot create, 74 I/O error, …) and every `file:line:col` it named.

    Attributes:
        exit_code: dxmap's exit status.
        stderr: everything dxmap wrote to standard error.
        locations: each `file:line:col: error:` line, parsed.
        command: the command line that was run.
    """

    def __init__(self, exit_code: int, stderr: str, command: Sequence[str]):
        self.exit_code = exit_code
        self.stderr = stderr
        self.command = list(command)
        self.locations = [Location(m["file"], int(m["line"]), int(m["column"]), m["message"])
                          for m in (_LOCATED.match(line) for line in stderr.splitlines()) if m and m["kind"] == "error"]
        first = next((line for line in stderr.splitlines() if "error" in line), stderr.strip() or "no message")
        super().__init__(f"dxmap exited with status {exit_code}: {first}")


@dataclass
class Completed:
    """A finished dxmap run: its standard output, its warnings and other standard-error lines."""

    stdout: str
    stderr: str
    warnings: list[str] = field(default_factory=list)


def flag(name: str) -> str:
    """The CLI flag of a keyword argument: `x_threshold` → `--x-threshold`."""
    return "--" + name.replace("_", "-")


def arguments(**options: Any) -> list[str]:
    """CLI arguments from keyword arguments: None is left out, True is a bare flag, False is left out, a list or
    tuple repeats the flag, anything else is its string form."""
    out: list[str] = []
    for name, value in options.items():
        if value is None or value is False:
            continue
        if value is True:
            out.append(flag(name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                out += [flag(name), str(item)]
        else:
            out += [flag(name), str(value)]
    return out


def _progress_sink(show: bool) -> Callable[[str, int, int], None]:
    """Where progress goes: a tqdm bar when tqdm is installed, else one line on standard error that redraws."""
    if not show:
        return lambda label, done, total: None
    try:
        from tqdm.auto import tqdm  # type: ignore
    except ImportError:
        tqdm = None
    bars: dict[str, Any] = {}

    def update(label: str, done: int, total: int) -> None:
        if tqdm is not None:
            bar = bars.get(label)
            if bar is None:
                bar = bars[label] = tqdm(total=total, desc=f"dxmap {label}", leave=False)
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
        else:
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\rdxmap {label}: {done}/{total} ({100 * done / max(total, 1):.0f}%)" + end)
            sys.stderr.flush()

    return update


def run(command: Iterable[str], *, binary: Optional[str] = None, progress: bool = True, cwd: Optional[str] = None) -> Completed:
    """Runs `dxmap COMMAND…`, passing its progress to a bar, and returns its output.

    Raises:
        DxmapError: when dxmap exits with a non-zero status (its message and `file:line:col` locations kept).
        BinaryNotFound: when there is no dxmap to run.
    """
    argv = [find_binary(binary), *command]
    environment = dict(os.environ, DXMAP_PROGRESS="lines", NO_COLOR="1")
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                               env=environment, cwd=cwd)
    sink = _progress_sink(progress)
    kept: list[str] = []

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "dxmap-progress" and parts[2].isdigit() and parts[3].isdigit():
                sink(parts[1], int(parts[2]), int(parts[3]))
            else:
                kept.append(line)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        stdout = process.stdout.read() if process.stdout else ""
        process.wait()
    except BaseException:
        # An interrupt (Ctrl-C, Jupyter's stop button) stops dxmap too; a sweep resumes with resume=True.
        process.terminate()
        process.wait()
        raise
    reader.join()
    stderr = "".join(kept)
    if process.returncode != 0:
        raise DxmapError(process.returncode, stderr, argv)
    warnings = [line for line in stderr.splitlines() if "warning:" in line]
    return Completed(stdout=stdout, stderr=stderr, warnings=warnings)
