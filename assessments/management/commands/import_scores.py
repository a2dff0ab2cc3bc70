import gc
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.importing import ImportRejected, parse_scores_file
from assessments.selectors import FrameworkCatalogue
from assessments.services import assessment_import


class Command(BaseCommand):
    help = "Import published ITA results from a CSV or XLSX file (see INTERFACES.md)."
    # The system checks import every URL conf, and with it WeasyPrint: 2 of a national import's
    # CPU seconds, for checks that `manage.py check` and the server's start already run.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args: Any, path: Path, dry_run: bool, **options: Any) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        # A national file makes some 230,000 objects (rows, model instances) that live until
        # the import ends, with next to no reference cycles: the cyclic garbage collector walked
        # them and the whole of Django 13 times to free 82 objects, 2-4 of the import's CPU
        # seconds (measured 2026-12-03); the peak memory is the same without it.
        gc.disable()
        try:
            rows = parse_scores_file(path.name, data, FrameworkCatalogue().rules_for_organisation)
            if dry_run:
                self.stdout.write(f"{len(rows)} rows are valid; nothing written (--dry-run).")
                return
            summary = assessment_import(rows=rows)
        except ImportRejected as rejected:
            raise CommandError(
                f"{path}: the file was rejected, nothing was written.\n"
                + "\n".join(f"  {error}" for error in rejected.errors)
            ) from rejected
        finally:
            gc.enable()
        self.stdout.write(
            f"Imported {len(rows)} rows: {summary.organisations_created} new organisations, "
            f"{summary.assessments_created} new years, {summary.assessments_updated} updated."
        )
