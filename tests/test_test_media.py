"""The test suite's throwaway media folder: a run killed before it could clean up leaves a
folder behind, and the next run removes it (never a folder of a run still going)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from itaportal import test_media


def test_the_next_run_removes_the_media_folders_of_killed_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    killed = tmp_path / f"{test_media.MEDIA_PREFIX}{finished.stdout.strip()}-abc"
    running = tmp_path / f"{test_media.MEDIA_PREFIX}{os.getpid()}-def"
    other = tmp_path / "itaportal-test-media-notapid"
    for folder in (killed, running, other):
        (folder / "emblems").mkdir(parents=True)
        (folder / "emblems" / "x.png").write_bytes(b"png")
    test_media.remove_orphans()
    assert not killed.exists()
    assert (running / "emblems" / "x.png").exists() and (other / "emblems" / "x.png").exists()


def test_this_run_writes_its_uploads_to_a_folder_named_after_its_live_process():
    media = Path(os.environ["DJANGO_MEDIA_ROOT"])
    pid = media.name.removeprefix(test_media.MEDIA_PREFIX).split("-", 1)[0]
    assert pid.isdigit() and test_media.alive(int(pid))  # so no later run removes it
