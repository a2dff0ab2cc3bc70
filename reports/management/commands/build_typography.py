"""Build what the PDFs' text needs: the rebuilt Laksaman fonts and libthai's dictionary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports import fonts, thai_breaks


class Command(BaseCommand):
    help = "Build the documents' Laksaman fonts and Thai line-breaking dictionary (set-up time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="rebuild what already exists")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        for path in fonts.build_fonts(force=force):
            self.stdout.write(f"built {path}")
        if force or not thai_breaks.DICT_FILE.is_file():
            self.stdout.write(f"built {thai_breaks.build_dictionary()}")
