"""Files that readers never see half-written: write a hidden sibling, fsync, then rename."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_SERIAL = itertools.count()  # with the pid, a temporary name no other writer uses


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one step (a killed process leaves the old file or the new).

    `durable` also fsyncs before the rename, so that a power cut cannot leave an empty file
    either; files that can be fetched again skip it (it costs milliseconds a file). The file
    gets the mode the umask allows, not mkstemp's 0600: the web app's server reads these.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_SERIAL)}{TEMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_temporaries(directory: Path) -> int:
    """Delete what a killed `write_atomic` left in `directory`; returns how many."""
    removed = 0
    for leftover in directory.glob(f".*{TEMP_SUFFIX}"):
        if leftover.is_file():
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed
