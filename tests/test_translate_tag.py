"""`{% translate %}` as itaportal/templatetags/translations.py renders it: Django's text, each
literal worked out once per language and escaping."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Engine, Template, engines
from django.templatetags import i18n
from django.utils import translation

from itaportal.templatetags import translations


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The languages Django's own `translate` renders in from now on."""
    languages: list[str] = []
    real = i18n.TranslateNode.render

    def counted(self: i18n.TranslateNode, context: Any) -> str:
        languages.append(translation.get_language())
        return real(self, context)

    monkeypatch.setattr(i18n.TranslateNode, "render", counted)
    return languages


def render(template: Template, language: str, **context: object) -> str:
    with translation.override(language):
        return template.render(Context(context))


def test_load_i18n_loads_it_for_the_portal_and_the_admin() -> None:
    libraries = Engine.get_default().template_libraries
    assert libraries["i18n"] is translations.register
    assert libraries["i18n"].tags["blocktranslate"] is i18n.register.tags["blocktranslate"]


def test_no_other_library_name_is_given_to_two_modules() -> None:
    """settings.SILENCED_SYSTEM_CHECKS silences Django's warning, meant for "i18n" alone."""
    warnings = [str(w.msg) for w in engines["django"].check() if w.id == "templates.W003"]
    assert warnings == [
        "'i18n' is used for multiple template tag modules: "
        "'django.templatetags.i18n', 'itaportal.templatetags.translations'"
    ]


def test_a_literal_is_translated_once_per_language(looked_up: list[str]) -> None:
    page = Template('{% load i18n %}<b>{% translate "Log out" %}</b>')
    assert render(page, "th") == "<b>ออกจากระบบ</b>"
    assert render(page, "th") == "<b>ออกจากระบบ</b>"
    assert render(page, "en") == "<b>Log out</b>"
    assert render(page, "en") == "<b>Log out</b>"
    assert looked_up == ["th", "en"]


SNIPPETS = [
    '{% translate "Log out" %}',
    '{% translate "a & <b>" %}|{% autoescape off %}{% translate "a & <b>" %}{% endautoescape %}',
    '{% translate "ITA Portal" context "brand" as brand %}[{{ brand }}]',
    '{% translate "100% done" %}|{% translate "Log out" noop %}',
    "{% translate word %}|{% translate 'Log out'|upper %}|{% translate word context 'brand' %}",
]


@pytest.mark.parametrize("snippet", SNIPPETS)
@pytest.mark.parametrize("language", ["th", "en"])
def test_it_renders_what_django_s_own_renders(snippet: str, language: str) -> None:
    text = "{% load i18n %}" + snippet
    django_s = Engine(libraries={"i18n": "django.templatetags.i18n"}).from_string(text)
    portal_s = Template(text)
    for word in ("ITA Portal", "Menu & <more>"):
        assert render(portal_s, language, word=word) == render(django_s, language, word=word)
        assert render(portal_s, language, word=word) == render(django_s, language, word=word)


def test_a_variable_or_a_filter_is_translated_each_time(looked_up: list[str]) -> None:
    page = Template("{% load i18n %}{% translate word %}/{% translate 'Log out'|upper %}")
    assert render(page, "en", word="Log out") == "Log out/LOG OUT"
    assert render(page, "th", word="Menu") == "เมนู/ออกจากระบบ"
    assert len(looked_up) == 4
