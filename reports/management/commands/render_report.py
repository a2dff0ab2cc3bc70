from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.ita import parse_number
from assessments.models import Organisation
from reports.documents import KINDS, DocumentMissing, build
from reports.pdf import renderer


class Command(BaseCommand):
    help = "Render one official PDF (analysis, plan, progress, order) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[*KINDS, "memo"])
        parser.add_argument("--org-name")
        parser.add_argument("--province")
        parser.add_argument("--year")
        parser.add_argument("--number", help="memo reference, e.g. พย ๗๒๔๐๑/๑๑๙")
        parser.add_argument("--memo", help="memo id")
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind == "memo":
            raise CommandError("memo documents arrive with the memos issue; nothing was written")
        for name in ("org_name", "province", "year"):
            if not options[name]:
                raise CommandError(f"--{name.replace('_', '-')} is required for {kind}")
        try:
            year = int(parse_number(options["year"]))
        except ValueError as exc:
            raise CommandError(f"--year: {options['year']!r} is not a year") from exc
        organisation = Organisation.objects.filter(
            name=options["org_name"], province=options["province"]
        ).first()
        if organisation is None:
            raise CommandError(
                f"no organisation {options['org_name']!r} in province {options['province']!r}"
            )
        try:
            document = build(kind, organisation, year)
        except DocumentMissing as missing:
            raise CommandError(str(missing)) from missing
        rendered = renderer().render(document.html())
        out: Path = options["out"]
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_suffix(out.suffix + ".part")
            tmp.write_bytes(rendered.pdf)
            tmp.replace(out)  # never a half-written PDF at --out
        except OSError as exc:
            raise CommandError(f"{out}: {exc.strerror}") from exc
        self.stdout.write(f"{out}: {rendered.pages} pages")
