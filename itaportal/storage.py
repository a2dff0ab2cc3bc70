"""File storage that keeps Thai file names readable and never leaves half a file; and the static
files' storage of a deployment.

Django's default cleaning drops every character that is not a "word" character, and Thai vowel
and tone marks are not: "ครุฑ.png" would be stored as "ครฑ.png". Django writes straight to the
final name, so a full disk left files cut short (or empty) that no row names.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name
from whitenoise.storage import CompressedManifestStaticFilesStorage


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def _copy(content: Any, out: IO[bytes]) -> None:
    for chunk in content.chunks():
        out.write(chunk)


class ThaiFileSystemStorage(FileSystemStorage):
    def get_valid_name(self, name: str) -> str:
        name = "_".join(str(name).strip().split())
        if re.fullmatch(r"\.[^./\\]+", name):  # only an extension (".png"): keep it, with a name
            name = "file" + name
        kept = "".join(
            ch
            for ch in name
            if ch.isalnum() or ch in "-_." or unicodedata.category(ch).startswith("M")
        )
        kept = kept.lstrip(".")  # no hidden files, no parent references
        if not kept:
            kept = "file"
        return str(validate_file_name(kept))

    def _save(self, name: str, content: Any) -> str:
        """Write under a temporary name in the same folder, then link it to a free final name:
        a file under its real name is always whole, and a failed write (a full disk) leaves
        nothing behind."""
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as out:
                _copy(content, out)
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    os.link(temporary, full_path)  # refuses to replace another upload
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            Path(temporary).unlink(missing_ok=True)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return str(name).replace("\\", "/")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage (hashed names, compressed copies), remembering each file's URL: the
    manifest it reads them from is read once, when the process starts, and every page asks for
    six of them (`{% static %}`), which cost 40 µs each to work out again (bench/README.md,
    session 35)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if force or settings.DEBUG:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
