"""Migrations that carry data: what was kept before is right after."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.models import Assessment, Organisation, YearSummary
from assessments.services import assessment_save
from tests.conftest import DEFAULT_THRESHOLDS, scores_of
from tests.reports.conftest import frameworks_back  # noqa: F401  (the fixture)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frameworks_back")
def test_the_kept_figures_of_a_made_up_year_learn_that_they_are_made_up() -> None:
    org = Organisation.objects.create(kind="sao", name="อบต.ทดสอบ", province="พะเยา")
    for year in (2565, 2566):
        assessment_save(organisation=org, fiscal_year=year, scores=scores_of(["80"] * 10),
                        published_score=None, published_level="",
                        thresholds=DEFAULT_THRESHOLDS, user=None)  # fmt: skip
    before = [("assessments", "0018_organisation_name_c_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    # Before the migration the demo loader marked its years on the results alone.
    Assessment.objects.filter(organisation=org, fiscal_year=2566).update(is_demo=True)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    kept = YearSummary.objects.filter(organisation=org).values_list("fiscal_year", "is_demo")
    assert dict(kept) == {2565: False, 2566: True}
