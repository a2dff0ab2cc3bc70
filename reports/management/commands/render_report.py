from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.models import Organisation
from itaportal import thai
from reports.documents.builders import DocumentMissing, build
from reports.documents.docx import document_docx
from reports.documents.models import DocumentKind
from reports.memos.document import memo_docx, memo_html
from reports.memos.models import Memo
from reports.pdf import renderer


def normalise_reference(text: str) -> str:
    return "".join(thai.arabic(text).split())


class Command(BaseCommand):
    help = (
        "Render one official document (analysis, plan, progress, order, memo) to a file: "
        "PDF, or the editable DOCX when --out ends in .docx."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[*DocumentKind.values, "memo"])
        parser.add_argument("--org-name")
        parser.add_argument("--province")
        parser.add_argument("--year")
        parser.add_argument("--number", help="memo reference, e.g. พย ๗๒๔๐๑/๑๑๙")
        parser.add_argument("--memo", help="memo id")
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        docx = options["out"].suffix.lower() == ".docx"
        if kind == "memo":
            memo = self._memo(options)
            if docx:  # the memo as it stands: a decided memo's record is its PDF
                self._write_bytes(memo_docx(memo), options["out"])
                self.stdout.write(f"{options['out']}: DOCX")
                return
            if memo.approved_pdf:  # decided: the bytes kept at the decision, never re-rendered
                with memo.approved_pdf.open("rb") as stored:
                    self._write_bytes(stored.read(), options["out"])
                self.stdout.write(
                    f"{options['out']}: as decided (SHA-256 {memo.approved_pdf_sha256})"
                )
                return
            self._write(memo_html(memo), options["out"])
            return
        for name in ("org_name", "province", "year"):
            if not options[name]:
                raise CommandError(f"--{name.replace('_', '-')} is required for {kind}")
        try:
            year = int(thai.parse_number(options["year"]))
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
        if docx:
            self._write_bytes(document_docx(document), options["out"])
            self.stdout.write(f"{options['out']}: DOCX")
            return
        self._write(document.html(), options["out"])

    def _memo(self, options: dict[str, Any]) -> Memo:
        if options["memo"]:
            memo = (
                Memo.objects.filter(pk=options["memo"]).first()
                if options["memo"].isdigit()
                else None
            )
            if memo is None:
                raise CommandError(f"no memo with id {options['memo']!r}")
            return memo
        if not options["number"]:
            raise CommandError('memo needs --number "พย ๗๒๔๐๑/๑๑๙" or --memo ID')
        wanted = normalise_reference(options["number"])
        for memo in Memo.objects.exclude(reference="").select_related("organisation"):
            if normalise_reference(memo.reference) == wanted:
                return memo
        raise CommandError(f"no memo numbered {options['number']!r}")

    def _write(self, html: str, out: Path) -> None:
        rendered = renderer().render(html)
        self._write_bytes(rendered.pdf, out)
        self.stdout.write(f"{out}: {rendered.pages} pages")

    def _write_bytes(self, data: bytes, out: Path) -> None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_suffix(out.suffix + ".part")
            tmp.write_bytes(data)
            tmp.replace(out)  # never a half-written file at --out
        except OSError as exc:
            raise CommandError(f"{out}: {exc.strerror}") from exc
