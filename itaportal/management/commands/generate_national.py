import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaportal.national import (
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    FULL_SCALE,
    MAX_ORGANISATIONS,
    FrameworkMissing,
    NationalDataExists,
    national_generate,
)

# How each kind of row is named in the summary, by model label.
ROW_LABELS = {
    "assessments.Organisation": gettext_lazy("organisations"),
    "accounts.User": gettext_lazy("users"),
    "assessments.Assessment": gettext_lazy("assessments"),
    "assessments.IndicatorScore": gettext_lazy("indicator scores"),
    "measures.MeasurePlan": gettext_lazy("measures plans"),
    "measures.InstrumentAnalysis": gettext_lazy("instrument analyses"),
    "measures.Measure": gettext_lazy("measures"),
    "measures.Measure_owners": gettext_lazy("measure owners"),
    "measures.Progress": gettext_lazy("progress records"),
    "reports.Committee": gettext_lazy("committee orders"),
    "reports.CommitteeMember": gettext_lazy("committee members"),
    "reports.Memo": gettext_lazy("memos"),
    "reports.MemoRegister": gettext_lazy("memo registers"),
    "reports.MemoVersion": gettext_lazy("memo versions"),
    "reports.MemoStep": gettext_lazy("memo steps"),
    "reports.MemoEvent": gettext_lazy("memo events"),
}


class Command(BaseCommand):
    help = (
        "Generate a national-scale synthetic data set (about 7,850 organisations with their "
        "results, plans, people and memos) for benchmarks and demos."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=FULL_SCALE)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument("--manifest", type=Path, help="Write a JSON manifest here.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the generated data first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["organisations"]
        manifest_path: Path | None = options["manifest"]
        if not 1 <= count <= MAX_ORGANISATIONS:
            raise CommandError(
                _("--organisations must be between 1 and %(max)s.") % {"max": MAX_ORGANISATIONS}
            )
        if manifest_path and not manifest_path.parent.is_dir():
            raise CommandError(
                _("%(path)s: the folder does not exist; nothing was written.")
                % {"path": manifest_path}
            )

        def report(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"{done}/{total}")

        try:
            summary = national_generate(
                organisations=count,
                seed=options["seed"],
                password=options["password"],
                replace=options["replace"],
                on_chunk=report,
            )
        except NationalDataExists as exists:
            raise CommandError(
                _(
                    "Generated data already exists (%(orgs)s organisations, %(users)s users). "
                    "Run again with --replace to delete it and generate anew; nothing was written."
                )
                % {"orgs": exists.organisations, "users": exists.users}
            ) from exists
        except FrameworkMissing as missing:
            raise CommandError(
                _("No ITA framework covers fiscal years %(years)s; nothing was written.")
                % {"years": ", ".join(map(str, missing.years))}
            ) from missing
        if manifest_path:
            manifest_path.write_text(
                json.dumps(summary.manifest, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        self.stdout.write(
            _("Generated %(orgs)s organisations in %(seconds).1f seconds (seed %(seed)s).")
            % {"orgs": summary.organisations, "seconds": summary.seconds, "seed": options["seed"]}
        )
        width = max(len(str(label)) for label in ROW_LABELS.values())
        for label, name in ROW_LABELS.items():
            self.stdout.write(f"  {name!s:<{width}}  {summary.counts.get(label, 0):>9,}")
        self.stdout.write(_("Password for every account: %(password)s") % options)
