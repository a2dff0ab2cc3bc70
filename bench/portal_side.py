"""What bench/http_load.py asks of the portal itself, run with the portal's settings and database:

    python -m bench.portal_side sessions --organisations 600 --seed 1   # JSON on stdout
    python -m bench.portal_side writer --rate 2 --seconds 60 --seed 1
    python -m bench.portal_side overview-growth
    python -m bench.portal_side session --username sup-p01        # a session cookie

`sessions` signs in the staff, reviewer and executive of N organisations drawn at random, and the
supervisors of their provinces, by writing their sessions as Django's login does (a login over
HTTP hashes the password: minutes of CPU for 2,000 people); it prints each organisation's pages.
`writer` saves scores (assessment_save) and measures (measure_update) of organisations drawn at
random, RATE a second, through the services a form calls, with their audit and kept figures.
`overview-growth` times the supervisor overview's figures (the area's rows and the country's
comparison) right after a save, for areas of 100, 1,000 and every organisation, and the largest
province.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itaportal.settings")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Max  # noqa: E402

from assessments.models import Assessment, Organisation  # noqa: E402
from assessments.services import assessment_save  # noqa: E402
from itaportal.accounts.models import Role, User  # noqa: E402
from measures.models import Measure, MeasurePlan  # noqa: E402
from measures.services import MeasureData, StaleEdit, measure_update  # noqa: E402
from measures.status import MeasureStatus  # noqa: E402

BACKEND = "itaportal.accounts.backends.PortalBackend"
ORG_ROLES = (Role.STAFF, Role.REVIEWER, Role.EXECUTIVE)


def session_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


def generated() -> Any:
    return Organisation.objects.filter(code__regex=r"^N[0-9]{5}$")


def sessions(count: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    ids = sorted(generated().values_list("pk", flat=True))
    chosen = sorted(rng.sample(ids, min(count, len(ids))))
    orgs = Organisation.objects.in_bulk(chosen)
    score_year = dict(
        Assessment.objects.filter(organisation_id__in=chosen)
        .values_list("organisation_id")
        .annotate(y=Max("fiscal_year"))
        .values_list("organisation_id", "y")
    )
    plan_year = dict(
        MeasurePlan.objects.filter(organisation_id__in=chosen)
        .values_list("organisation_id")
        .annotate(y=Max("fiscal_year"))
        .values_list("organisation_id", "y")
    )
    people: dict[int, dict[str, str]] = {pk: {} for pk in chosen}
    for user in User.objects.filter(organisation_id__in=chosen, role__in=ORG_ROLES, is_active=True):
        assert user.organisation_id is not None
        people[user.organisation_id].setdefault(str(user.role), session_for(user))
    provinces = sorted({orgs[pk].province for pk in chosen})
    supervisors: dict[str, str] = {}
    for user in User.objects.filter(
        role=Role.SUPERVISOR, supervised_province__in=provinces, supervised_district=""
    ).order_by("pk"):
        supervisors.setdefault(user.supervised_province, session_for(user))
    return {
        "organisations": [
            {
                "id": pk,
                "province": orgs[pk].province,
                "people": people[pk],
                "score_year": score_year.get(pk),
                "plan_year": plan_year.get(pk),
            }
            for pk in chosen
            if people[pk]
        ],
        "supervisors": supervisors,
    }


def writer(rate: float, seconds: float, seed: int) -> None:
    """Alternately a year's scores and a measure, of organisations drawn at random."""
    rng = random.Random(seed)
    ids = list(generated().values_list("pk", flat=True))
    staff = {u.organisation_id: u for u in User.objects.filter(role=Role.STAFF)}
    timings: dict[str, list[float]] = {"scores": [], "measure": []}
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < seconds:
        due = start + n / rate
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        org_id = rng.choice(ids)
        began = time.perf_counter()
        if n % 2 == 0:
            kind = "scores"
            save_scores(org_id, staff.get(org_id), rng)
        else:
            kind = "measure"
            if not save_measure(org_id, staff.get(org_id), rng):
                n += 1
                continue
        timings[kind].append((time.perf_counter() - began) * 1000)
        n += 1
    for kind, values in timings.items():
        mean = sum(values) / len(values) if values else 0.0
        print(f"writer: {len(values)} {kind} saves, mean {mean:.1f} ms each", flush=True)


def save_scores(org_id: int, user: User | None, rng: random.Random) -> None:
    assessment = (
        Assessment.objects.filter(organisation_id=org_id)
        .order_by("-fiscal_year")
        .prefetch_related("indicator_scores")
        .first()
    )
    if assessment is None:
        return
    scores: dict[int, Decimal | None] = {
        s.number: min(
            Decimal(100), max(Decimal(0), s.score + Decimal(rng.randint(-300, 300)) / 100)
        )
        for s in assessment.indicator_scores.all()
    }
    assessment_save(
        organisation=assessment.organisation,
        fiscal_year=assessment.fiscal_year,
        scores=scores,
        published_score=None,
        published_level="",
        thresholds=assessment.thresholds,
        user=user,
        ip="127.0.0.1",
    )


def save_measure(org_id: int, user: User | None, rng: random.Random) -> bool:
    measure = Measure.objects.filter(plan__organisation_id=org_id).order_by("?").first()
    if measure is None:
        return False
    data = replace(MeasureData.of(measure), status=rng.choice(list(MeasureStatus)).value)
    try:
        measure_update(
            measure=measure,
            data=data,
            owners=list(measure.owners.all()),
            expected_version=measure.version,
            user=user,
            ip="127.0.0.1",
        )
    except StaleEdit:
        return False
    return True


def overview_growth() -> None:
    from django.utils import timezone

    from reports.overview import selectors as overview
    from reports.overview.views import PAGE_SIZE, CountedPaginator, select

    def page_figures(area: Any, today: Any) -> None:
        """What the overview page reads: the filters' choices, the count, the first page's
        rows, the levels and the comparison with the country (kept a minute per process)."""
        shown = select(area, None, [], today)
        rows = shown.chosen.values_list(*overview.ROW_FIELDS)
        overview.rows_of(CountedPaginator(rows, PAGE_SIZE, count=shown.page_count).get_page(1))
        overview.area(shown.chosen_counted)

    ids = list(generated().order_by("pk").values_list("pk", flat=True))
    staff = {u.organisation_id: u for u in User.objects.filter(role=Role.STAFF)}
    rng = random.Random(7)
    today = timezone.localdate()
    largest = Counter(generated().values_list("province", flat=True)).most_common(1)[0][0]
    # Areas as the page selects them: a condition, never a list of 7,850 ids in the SQL.
    areas = [
        (f"{size:,} organisations", generated().filter(pk__lte=ids[size - 1]))
        for size in (100, 1000)
    ]
    areas.append(
        (f"the whole country ({Organisation.objects.count():,})", Organisation.objects.all())
    )
    areas.append(
        (f"the largest province, {largest}", Organisation.objects.filter(province=largest))
    )
    for name, area in areas:
        timings, cpu = [], []
        members = list(area.values_list("pk", flat=True))
        for _ in range(5):
            org_id = rng.choice(members)
            save_scores(org_id, staff.get(org_id), rng)
            began, began_cpu = time.perf_counter(), time.process_time()
            page_figures(area, today)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        timings.sort()
        cpu.sort()
        print(
            f"overview figures after a save, area of {name} ({len(members):,}): "
            f"median {timings[2]:.0f} ms, max {timings[-1]:.0f} ms; "
            f"this process' CPU median {cpu[2]:.0f} ms (load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("sessions")
    one.add_argument("--organisations", type=int, default=600)
    one.add_argument("--seed", type=int, default=1)
    two = commands.add_parser("writer")
    two.add_argument("--rate", type=float, default=2.0)
    two.add_argument("--seconds", type=float, default=60.0)
    two.add_argument("--seed", type=int, default=1)
    commands.add_parser("overview-growth")
    three = commands.add_parser("session")
    three.add_argument("--username", required=True)
    args = parser.parse_args(argv)
    if args.command == "sessions":
        json.dump(sessions(args.organisations, args.seed), sys.stdout)
    elif args.command == "session":
        print(session_for(User.objects.get(username=args.username)))
    elif args.command == "writer":
        writer(args.rate, args.seconds, args.seed)
    else:
        overview_growth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
