"""`{% url %}` as itaportal/templatetags/urls.py renders it: Django's addresses, each worked out
once per process."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from itaportal.templatetags import urls


@pytest.fixture
def reversed_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The view names `{% url %}` works out from now on (it starts here forgetting them all)."""
    urls._reversed.cache_clear()
    names: list[str] = []
    real = urls.reverse

    def counted(name: str, *args: Any, **kwargs: Any) -> str:
        names.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(urls, "reverse", counted)
    return names


def render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def test_every_template_gets_django_s_address_worked_out_once(reversed_names: list[str]) -> None:
    text = "{% url 'assessments:scores_edit' org year %}|{% url 'help:index' %}"
    first = render(text, org=7, year=2568)
    assert first == f"{reverse('assessments:scores_edit', args=[7, 2568])}|{reverse('help:index')}"
    assert render(text, org=7, year=2568) == first
    assert reversed_names == ["assessments:scores_edit", "help:index"]
    assert render(text, org=8, year=2568).startswith("/orgs/8/")  # other arguments, other URL


def test_an_object_s_address_is_worked_out_each_time(reversed_names: list[str]) -> None:
    class Number:
        def __str__(self) -> str:
            return "9"

    text = "{% url 'measures:plan_list' org %}"
    assert render(text, org=Number()) == render(text, org=Number()) == "/orgs/9/plans/"
    assert reversed_names == ["measures:plan_list", "measures:plan_list"]


def test_it_keeps_django_s_as_and_escaping_and_refusals() -> None:
    assert render("{% url 'nowhere' as link %}[{{ link }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'nowhere' %}")
    assert render("{% url 'measures:plan_list' 5 as link %}<{{ link }}>") == "</orgs/5/plans/>"


def test_a_portal_under_a_sub_path_gets_its_own_addresses() -> None:
    try:
        set_script_prefix("/ita/")
        assert render("{% url 'help:index' %}") == "/ita/help/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'help:index' %}") == "/help/"
