"""A full disk while follow-up evidence is uploaded (itaportal/storage.py, measures.services):
a Thai message, and no file without its row nor row without its file."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itaportal import storage
from tests.conftest import client_for

# --- A full disk: a real 256 KB tmpfs when the tests may mount one (as root), else ENOSPC
# raised by the storage's writer after 48 KB, where a real disk of the outside test failed.


@pytest.fixture
def full_media(settings, tmp_path, monkeypatch):
    media = tmp_path / "media"
    media.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(media)], capture_output=True
    )
    if mounted.returncode != 0:

        def copy_until_full(content, out):
            written = 0
            for chunk in content.chunks():
                if written + len(chunk) > 48 * 1024:
                    out.write(chunk[: 48 * 1024 - written])
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                out.write(chunk)
                written += len(chunk)

        monkeypatch.setattr(storage, "_copy", copy_until_full)
    settings.MEDIA_ROOT = media
    yield media
    if mounted.returncode == 0:
        subprocess.run(["umount", str(media)], check=True)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@time_machine.travel(dt.datetime(2023, 2, 15, 10, tzinfo=dt.UTC), tick=False)
@pytest.mark.django_db
def test_a_full_disk_refuses_evidence_in_thai_and_leaves_no_file_without_its_row(
    measure, staff, full_media
):
    url = reverse("measures:measure_detail", args=[measure.pk])
    client = client_for(staff)
    small = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 " + b"1" * 20_000)
    assert (
        client.post(url, {"date": "2023-02-01", "done": "x", "evidence_file": small}).status_code
        == 302
    )
    kept = measure.progress.get()
    for n in range(6):  # each larger than what is left
        big = SimpleUploadedFile(f"scan-{n}.pdf", b"%PDF-1.4 " + os.urandom(300_000))
        response = client.post(url, {"date": "2023-02-01", "done": f"{n}", "evidence_file": big})
        assert response.status_code == 200
        assert "พื้นที่จัดเก็บเต็ม" in response.content.decode()
    assert list(measure.progress.all()) == [kept]  # no row without its file
    assert files_under(full_media) == [kept.evidence_file.name]  # no file without its row
    assert (full_media / kept.evidence_file.name).stat().st_size == 20_009


@pytest.mark.django_db
def test_a_row_that_cannot_be_written_takes_its_file_away(
    measure, staff, settings, tmp_path, monkeypatch
):
    from measures import services
    from measures.services import ProgressData, progress_record

    settings.MEDIA_ROOT = tmp_path

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "audit", broken)
    data = ProgressData(
        date=dt.date(2023, 2, 1), done="x", outcome="", evidence_url="",
        evidence_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )  # fmt: skip
    with pytest.raises(RuntimeError):
        progress_record(measure=measure, data=data, user=staff)
    assert not measure.progress.exists() and files_under(tmp_path) == []
