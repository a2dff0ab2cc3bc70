"""Personas and data shared by the tests: an owner organisation, an outsider, a supervisor."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Generator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from assessments import ita
from assessments.models import Assessment, Organisation
from assessments.services import assessment_save
from itaportal.accounts.models import Role, User

PASSWORD = "a-long-test-password-1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres only mean something on PostgreSQL: leave them out elsewhere.
    Then the tests of a module that read the same shared data set run one after the other."""
    from django.db import connection

    if connection.vendor != "postgresql":
        _deselect(config, items, lambda item: bool(item.get_closest_marker("postgres")))
    elif os.environ.get("ITAPORTAL_SQLITE_RUN_BESIDE") == "1":
        # The test command runs the suite on SQLite and on PostgreSQL side by side: what the
        # database cannot change runs once, in the SQLite run (_once_is_enough).
        _deselect(config, items, _once_is_enough)
    items[:] = _grouped_by_shared_data(items)
    items.sort(key=_start_rank)  # stable: the groups above stay together
    if config.pluginmanager.hasplugin("xdist") and config.getoption("dist", None) == "loadgroup":
        _xdist_groups(items)


def _once_is_enough(item: pytest.Item) -> bool:
    """A test that opens no database, and a browser test: what Chromium shows and does with
    pages whose every query the other tests run on both databases (a browser test is about
    three minutes of a run). A test marked each_database runs on both all the same."""
    if item.get_closest_marker("each_database"):
        return False
    return not _uses_db(item) or bool(item.get_closest_marker("browser"))


def _deselect(
    config: pytest.Config, items: list[pytest.Item], leave_out: Callable[[pytest.Item], bool]
) -> None:
    deselected = [item for item in items if leave_out(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not leave_out(item)]


def _start_rank(item: pytest.Item) -> int:
    """Slow tests start first, so that no worker is left with one at the end while the others
    idle. pytest-django's order is kept where it matters: the transactional tests, which empty
    the database when they end, after every test that expects the migrations' data; the tests
    without database may run at any time. A test that reads a shared data set stays with the
    others of its set."""
    slow = bool(item.get_closest_marker("slow") or item.get_closest_marker("browser"))
    if not _uses_db(item):
        return 0 if slow else 4
    if _transactional(item):
        return 2 if slow else 3
    return 0 if slow and _shared_data_of(item) is None else 1


def clear_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache, as a new server does (the verification page's
    lookup counts are kept there)."""
    clear_caches()


BANGKAO_2564 = [
    "98.66", "98.51", "98.81", "95.09", "98.96", "81.02", "87.98", "80.47", "86.28", "93.75",
]  # fmt: skip
BANGKAO_2565 = [
    "83.71", "68.53", "82.80", "73.25", "73.24", "86.27", "86.17", "82.24", "64.63", "37.50",
]  # fmt: skip

DEFAULT_THRESHOLDS = ita.Thresholds(
    maintain_from=Decimal(90), raise_from=Decimal(85), target=Decimal(90)
)


def scores_of(values: list[str]) -> dict[int, Decimal]:
    return {n: Decimal(v) for n, v in enumerate(values, start=1)}


def make_user(username: str, **fields: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.SUBDISTRICT_MUNICIPALITY,
        name="เทศบาลตำบลบางเก่า",
        district="ชะอำ",
        province="เพชรบุรี",
    )


@pytest.fixture
def other_org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.SAO,
        name="องค์การบริหารส่วนตำบลภูซาง",
        district="ภูซาง",
        province="พะเยา",
    )


@pytest.fixture
def staff(org: Organisation) -> User:
    return make_user("staff", organisation=org, role=Role.STAFF)


@pytest.fixture
def reviewer(org: Organisation) -> User:
    return make_user("reviewer", organisation=org, role=Role.REVIEWER)


@pytest.fixture
def outsider(other_org: Organisation) -> User:
    return make_user("outsider", organisation=other_org, role=Role.STAFF)


@pytest.fixture
def supervisor(db: None) -> User:
    return make_user("supervisor", role=Role.SUPERVISOR, supervised_province="เพชรบุรี")


@pytest.fixture
def assessed_org(org: Organisation) -> Organisation:
    """บางเก่า with its published FY 2564 and FY 2565 (the seed numbers)."""
    for year, values, published in (
        (2564, BANGKAO_2564, "92.44"),
        (2565, BANGKAO_2565, "68.78"),
    ):
        assessment_save(
            organisation=org,
            fiscal_year=year,
            scores=scores_of(values),
            published_score=Decimal(published),
            published_level="",
            thresholds=DEFAULT_THRESHOLDS,
            user=None,
        )
    return org


def snapshot() -> list[object]:
    """Every stored score and assessment, to prove a refused input changed nothing."""
    rows = Assessment.objects.order_by("organisation_id", "fiscal_year").values_list(
        "organisation_id", "fiscal_year", "published_score", "published_level", "updated_at"
    )
    scores = Assessment.objects.order_by("organisation_id", "fiscal_year").values_list(
        "organisation_id", "fiscal_year", "indicator_scores__number", "indicator_scores__score"
    )
    return [*rows, *sorted(scores, key=str), Organisation.objects.count()]


# ---------------------------------------------------------------------------------------------
# Demo data loaded once for the consecutive tests of a module that ask for it
#
# Loading the demo takes a second or more (with the memos, whose attachments are rendered to PDF,
# several). A test that asks for `demo` or `demo_with_memos` and is not transactional gets the
# data set loaded once, in a transaction left open across the module's consecutive tests that ask
# for the same set; each test's own transaction is a savepoint inside it, rolled back after the
# test, so every test starts from the data as loaded. The open transaction is rolled back as soon
# as a test that does not ask for that set is about to open its own (a plain database test sees
# an empty database, as before) and at the end of the module (so module-scoped data of other
# modules, like tests/test_national.py's, is never nested in it). Transactional tests (live
# server, threads, other processes) commit and flush: they never share, `demo` loads for them.
# Files the loaders write (the memos' frozen attachments) stay where they are for the whole run:
# tests may add files beside them, none may change or delete them.


def _load_demo_seeds() -> None:
    from fixtures.loaders.documents import demo_committees_load, demo_texts_load
    from fixtures.loaders.plans import demo_plans_load
    from fixtures.loaders.scores import demo_load

    demo_load()
    demo_plans_load()
    demo_committees_load()
    demo_texts_load()


def _load_demo() -> None:
    from fixtures.loaders.later_years import demo_later_years_load
    from fixtures.loaders.plans import demo_current_plans_load
    from fixtures.loaders.scores import demo_organisations

    _load_demo_seeds()
    organisations = demo_organisations()
    demo_later_years_load(list(organisations.values()))
    demo_current_plans_load(organisations)


def _load_demo_with_memos() -> None:
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


# fixture name -> loader; in this order of precedence (a superset after what it contains)
SHARED_DATA: dict[str, Callable[[], None]] = {
    "demo_seeds": _load_demo_seeds,
    "demo": _load_demo,
    "demo_with_memos": _load_demo_with_memos,
}
_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}
_DB_FIXTURES = {"db", "_django_db_helper", "django_db_serialized_rollback"}
_DB_SETUP = {"django_db_setup", "django_db_blocker"}


def _uses_db(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db") or (_DB_FIXTURES | _TRANSACTIONAL_FIXTURES) & names
    )


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        options = dict(zip(("transaction", "reset_sequences"), marker.args, strict=False))
        options.update(marker.kwargs)
        if options.get("transaction") or options.get("reset_sequences"):
            return True
    return bool(_TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def _shared_data_of(item: pytest.Item) -> str | None:
    """The shared data set this test reads, if it may share one."""
    names = getattr(item, "fixturenames", ())
    wanted = [name for name in SHARED_DATA if name in names]
    if not wanted or _transactional(item):
        return None
    return wanted[-1]


def _grouped_by_shared_data(items: list[pytest.Item]) -> list[pytest.Item]:
    """Within each run of consecutive tests of one module (pytest-django has already put the
    plain database tests before the transactional ones and those without database last), the
    tests without shared data first, then those of each data set: one load per set and run."""
    rank: dict[str | None, int] = {None: 0}
    rank.update((name, n) for n, name in enumerate(SHARED_DATA, start=1))
    grouped: list[pytest.Item] = []
    run: list[pytest.Item] = []
    for item in items:
        if run and item.parent is not run[0].parent:
            grouped += sorted(run, key=lambda i: rank[_shared_data_of(i)])
            run = []
        run.append(item)
    grouped += sorted(run, key=lambda i: rank[_shared_data_of(i)])
    return grouped


def _xdist_groups(items: list[pytest.Item]) -> None:
    """With `pytest -n N --dist loadgroup` (scripts/portal), each test goes to whichever worker is
    free, except that the tests of a module that read the same data loaded once (a shared demo
    data set, or a module-scoped fixture that writes to the database, as test_national.py's) go to
    one worker together: the data is loaded once, not once per worker."""
    for item in items:
        group = None
        if shared := _shared_data_of(item):
            group = shared
        else:
            fixtures = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
            for name, definitions in fixtures.items():
                definition = definitions[-1]
                if definition.scope in ("module", "package") and _DB_SETUP & set(
                    definition.argnames
                ):
                    group = name
                    break
        if group is not None:
            module = item.getparent(pytest.Module)
            where = module.nodeid if module is not None else item.nodeid
            item.add_marker(pytest.mark.xdist_group(f"{where}:{group}"))


class _SharedData:
    def __init__(self) -> None:
        self.name: str | None = None
        self._atomic: Any = None
        self._blocker: Any = None

    def open(self, name: str, item: pytest.Item, blocker: Any) -> None:
        from django.db import connection, transaction

        with blocker.unblock():
            if connection.in_atomic_block:
                return  # something else holds a transaction open: load for each test instead
            atomic = transaction.atomic()
            # marked as Django's TestCase marks its own, for the durable blocks inside
            atomic._from_testcase = True  # type: ignore[attr-defined]
            atomic.__enter__()
            try:
                SHARED_DATA[name]()
            except BaseException as error:
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
        self.name, self._atomic, self._blocker = name, atomic, blocker
        scope = item.getparent(pytest.Module) or item.session
        scope.addfinalizer(self.close)

    def close(self) -> None:
        if self._atomic is None:
            return
        from django.db import connection, transaction

        atomic, blocker = self._atomic, self._blocker
        self.name, self._atomic, self._blocker = None, None, None
        with blocker.unblock():
            if not connection.atomic_blocks or connection.atomic_blocks[-1] is not atomic:
                raise RuntimeError(
                    "the shared demo data's transaction is not the innermost one: a fixture or "
                    "test left a transaction open"
                )
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_shared = _SharedData()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: pytest.FixtureRequest) -> Generator[Any]:
    """Just before pytest-django opens a test's transaction (or, for a transactional test, starts
    it): close the shared data set if the test does not read it, load it if the test does."""
    item = request.node
    if fixturedef.argname == "_django_db_helper" and isinstance(item, pytest.Item):
        wanted = _shared_data_of(item)
        if _shared.name is not None and _shared.name != wanted:
            _shared.close()
        if wanted is not None and _shared.name is None:
            _shared.open(wanted, item, request.getfixturevalue("django_db_blocker"))
    return (yield)


def shared_data(name: str, loader: Callable[[], None]) -> Any:
    """A fixture named `name` that gives a module's tests the data `loader` writes, loaded once for
    the module's consecutive tests that ask for it, as `demo` is (see above). The name must be
    unique in the suite; assign the result to that name in the module."""
    if name in SHARED_DATA:
        raise ValueError(f"two shared data sets are called {name!r}")
    SHARED_DATA[name] = loader

    @pytest.fixture(name=name)
    def load(db: None) -> None:
        if _shared.name != name:
            loader()

    return load


@pytest.fixture
def demo_seeds(db: None) -> None:
    """The seeds' own data only (their published years, plans and committee orders), without
    the years and this year's plan the demo makes up: for tests of what the seeds say."""
    if _shared.name != "demo_seeds":
        _load_demo_seeds()


@pytest.fixture
def demo(db: None) -> None:
    """The demo data without the memos (which render their attachments: slow to load)."""
    if _shared.name != "demo":
        _load_demo()


@pytest.fixture
def demo_with_memos(db: None) -> None:
    """The whole demo data, as `manage.py load_demo` loads it."""
    if _shared.name != "demo_with_memos":
        _load_demo_with_memos()
