"""Every translatable string in the project's Python is one `makemessages` can find: xgettext
does not read inside f-strings, so a `gettext("…")` there never reaches the catalogue, and the
next `makemessages --no-obsolete` drops its translation (the overview's "no plan" badge once
turned English that way)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("itaportal", "assessments", "measures", "reports", "fixtures")
GETTEXT = {
    "_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy",
    "npgettext", "npgettext_lazy",
}  # fmt: skip


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def hidden_in_f_strings(source: str) -> list[int]:
    """The lines of gettext calls inside an f-string's expressions."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _name(inner) in GETTEXT:
                    lines.append(inner.lineno)
    return lines


def test_no_translatable_string_hides_in_an_f_string() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for line in hidden_in_f_strings(path.read_text(encoding="utf-8"))
    ]
    assert not found, "gettext inside an f-string (makemessages cannot read it): " + ", ".join(
        found
    )


def test_it_finds_one() -> None:
    assert hidden_in_f_strings('x = f"<b>{gettext(\'no plan\')}</b>"\ny = gettext("ok")') == [1]
