"""Finding the dxmap binary."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Optional

_explicit: Optional[str] = None


class BinaryNotFound(RuntimeError):
    """No dxmap binary was found; the message says how to get one."""


def set_binary(path: Optional[str]) -> None:
    """Use the dxmap binary at `path` from now on (None: search again)."""
    global _explicit
    _explicit = None if path is None else str(path)


def _repository_builds() -> list[Path]:
    """Release (then debug) builds of the repository this package sits in, or the working directory is in."""
    places = [Path.cwd().resolve(), Path(__file__).resolve().parent]
    found = []
    for start in places:
        for folder in [start, *start.parents]:
            if (folder / "Package.swift").is_file() and (folder / "Sources" / "dxmap").is_dir():
                found += [folder / ".build" / "release" / "dxmap", folder / ".build" / "debug" / "dxmap"]
                break
    return found


def find_binary(binary: Optional[str] = None) -> str:
    """The dxmap binary to run: `binary` if given, else the one set with :func:`set_binary`, else `DXMAP_BIN`,
    else the release (or debug) build of the dxmap repository the working directory (or this package) is in, else
    `dxmap` on `PATH`.

    Raises:
        BinaryNotFound: with what to do, when none of these is an executable file.
    """
    tried = []
    for candidate, source in [(binary, "the binary argument"), (_explicit, "dxmap.set_binary"),
                              (os.environ.get("DXMAP_BIN"), "DXMAP_BIN")]:
        if candidate:
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
            raise BinaryNotFound(f"{source} names {candidate!r}, which is not an executable file")
    # The build of the repository one works in comes before PATH: its scenarios are read by that build, and an
    # older dxmap installed on PATH may not know what they use.
    for build in _repository_builds():
        if build.is_file() and os.access(build, os.X_OK):
            return str(build)
        tried.append(str(build))
    on_path = shutil.which("dxmap")
    if on_path:
        return on_path
    tried.append("dxmap on PATH")
    raise BinaryNotFound(
        "no dxmap binary found (looked for " + ", ".join(tried) + "). Either set DXMAP_BIN=/path/to/dxmap, "
        "call dxmap.set_binary(path), put dxmap on PATH (`make install` in the repository), or build it in the "
        "repository with `make build` (needs the Swift toolchain; it installs GSL and SQLite if missing)."
    )
