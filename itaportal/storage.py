"""File storage that keeps Thai file names readable.

Django's default cleaning drops every character that is not a "word" character, and Thai vowel
and tone marks are not: "ครุฑ.png" would be stored as "ครฑ.png".
"""

from __future__ import annotations

import re
import unicodedata

from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name


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
