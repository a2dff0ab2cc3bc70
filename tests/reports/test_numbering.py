"""Official numbers (reports.numbering): per organisation, series and year; never reused."""

import datetime as dt

from assessments.models import Organisation
from reports.documents.services import CommitteeData, MemberData, committee_create
from reports.numbering import NumberRegister, number_take

MEMO = NumberRegister.Series.MEMO
ORDER = NumberRegister.Series.ORDER


def test_it_counts_each_series_and_year_on_its_own(org: Organisation) -> None:
    taken = [
        number_take(organisation=org, series=MEMO, year=2568),
        number_take(organisation=org, series=MEMO, year=2568),
        number_take(organisation=org, series=ORDER, year=2568),
        number_take(organisation=org, series=MEMO, year=2569),
    ]
    assert taken == [1, 2, 1, 1]


def test_it_keeps_the_register_ahead_of_a_number_given_on_paper(org: Organisation) -> None:
    assert number_take(organisation=org, series=ORDER, year=2564, number=74) == 74
    assert number_take(organisation=org, series=ORDER, year=2564, number=10) == 10
    assert number_take(organisation=org, series=ORDER, year=2564) == 75


def test_it_never_gives_a_deleted_orders_number_again(org: Organisation) -> None:
    data = CommitteeData(
        fiscal_year=2565, subject="แต่งตั้ง", reasons="ก", duties_steering="ข", signer_name="ค",
        signer_position="ง", issued_on=dt.date(2021, 12, 1),
    )  # fmt: skip
    member = [MemberData(group="steering", name="ก", position="ข", role="ประธาน")]
    first = committee_create(organisation=org, data=data, members=member)
    second = committee_create(organisation=org, data=data, members=member)
    second.delete()
    third = committee_create(organisation=org, data=data, members=member)
    assert (first.number, third.number) == (1, 3)
