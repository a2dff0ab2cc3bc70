"""The test suite's throwaway media folder (itaportal.test_settings): one per run, named after the
process that made it, so that a later run can tell a killed run's folder from a running one's."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

MEDIA_PREFIX = "itaportal-test-media-"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True


def remove_orphans() -> None:
    """The folders of test runs that were killed before their atexit could remove them."""
    for folder in Path(tempfile.gettempdir()).glob(f"{MEDIA_PREFIX}*-*"):
        pid = folder.name.removeprefix(MEDIA_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def media_root() -> str:
    """A new folder for this run's uploads, removed when this process ends (the subprocesses it
    starts share it)."""
    remove_orphans()
    folder = tempfile.mkdtemp(prefix=f"{MEDIA_PREFIX}{os.getpid()}-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
