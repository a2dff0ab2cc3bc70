"""The floors of the code: every import goes down (or stays in its room), never up, never across.

A newcomer reads the layout from this table (the README's Layout table says the same). Each room
is a module or package prefix on a floor; the longest prefix names a module's room. A module may
import its own room and the rooms of lower floors; two rooms on one floor are independent. Imports
inside functions count (they used to hide cycles); imports under `if TYPE_CHECKING:` do not, as
they never run: itaportal.accounts.models names Organisation for the type checker only, its
foreign key being the lazy "assessments.Organisation".
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("itaportal", "assessments", "measures", "reports", "fixtures")

# The floors from the ground up; on each, its rooms, and in each room its modules.
FLOORS: list[list[tuple[str, ...]]] = [
    [  # shared helpers, which import no app
        (
            "itaportal.apps",
            "itaportal.commands",
            "itaportal.errors",
            "itaportal.forms",
            "itaportal.language",
            "itaportal.statements",
            "itaportal.storage",
            "itaportal.tables",
            "itaportal.templatetags",
            "itaportal.thai",
            "itaportal.warm",
        )
    ],
    [("itaportal.accounts",)],  # people, roles, login, the audit trail
    [("assessments",)],  # organisations, frameworks, scores: the ITA rules
    [("itaportal.accounts.views", "itaportal.accounts.urls")],  # an organisation's people
    [("measures",)],  # plans, measures, follow-up
    [("reports.pdf", "reports.fonts", "reports.thai_breaks"), ("reports.numbering",)],  # shared
    [("reports.documents",)],  # the official documents
    [("reports.memos",), ("reports.batch",)],  # built on the documents
    [("reports.oit",)],  # the OIT checklist: shows the approved documents of memos
    [("reports.overview",)],  # the supervisors' figures, OIT readiness included
    [("reports",)],  # the app's glue: models, admin, urls, render_report
    [("itaportal.help",)],  # the help pages: quote every app's rules and labels
    [("fixtures",)],  # the demo and national data: may import every app
    [  # the roof: what Django and Celery start from, and the package that loads Celery
        (
            "itaportal",
            "itaportal.celery",
            "itaportal.settings",
            "itaportal.test_media",
            "itaportal.test_settings",
            "itaportal.urls",
            "itaportal.wsgi",
        )
    ],
]
# module prefix → (floor, room); a room is named by its first module
ROOMS = {
    module: (floor, room[0])
    for floor, rooms in enumerate(FLOORS)
    for room in rooms
    for module in room
}
# Rooms that hold only the module of that name, not the modules below it: a new module in
# itaportal/ must be given a floor, not land on the roof.
EXACT_ROOMS = {"itaportal"}


def room_of(module: str) -> str | None:
    """The longest room prefix of `module`; None outside the project."""
    parts = module.split(".")
    for length in range(len(parts), 0, -1):
        prefix = ".".join(parts[:length])
        if prefix in ROOMS and (length == len(parts) or prefix not in EXACT_ROOMS):
            return prefix
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """(line, module) of every import that runs, relative ones resolved against `package`."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:  # `from reports.memos import views` imports a module
                name = f"{base}.{alias.name}"
                found.append((node.lineno, name if is_module(name) else base))
        for inner in ast.iter_child_nodes(node):
            visit(inner)

    visit(tree)
    return found


@dataclass(frozen=True)
class Import:
    source: str
    line: int
    target: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def project_imports() -> list[Import]:
    imports: list[Import] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = module_name(path)
            own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
            tree = ast.parse(path.read_text(), filename=str(path))
            imports.extend(
                Import(name, line, target) for line, target in imported_modules(tree, own_package)
            )
    return imports


def wrong_way(imports: list[Import]) -> list[str]:
    """Every import that goes up a floor or across to another room on the same floor."""
    wrong = []
    for found in imports:
        if found.target.split(".")[0] not in PACKAGES:
            continue  # the standard library, Django and the rest
        source, target = room_of(found.source), room_of(found.target)
        assert source is not None, f"{found.source} is in no room: add it to FLOORS"
        assert target is not None, f"{found.target} is in no room: add it to FLOORS"
        (source_floor, source_room), (target_floor, target_room) = ROOMS[source], ROOMS[target]
        if source_room == target_room or target_floor < source_floor:
            continue
        where = "above" if target_floor > source_floor else "beside"
        wrong.append(f"{found} ({target} is {where})")
    return wrong


def test_every_import_goes_down_the_floors() -> None:
    imports = project_imports()
    assert len(imports) > 200  # the walk found the project
    assert wrong_way(imports) == []


@pytest.mark.parametrize(
    ("source", "code", "target"),
    [
        # a helper reaching into an app, as itaportal.thai once took its digits from ita
        ("itaportal.thai", "from assessments.ita import round2", "assessments"),
        ("assessments.selectors", "from measures.models import Measure", "measures"),
        ("measures.views", "from reports.documents.builders import build", "reports.documents"),
        ("reports.documents.builders", "from reports.memos.models import Memo", "reports.memos"),
        ("reports.memos.services", "from reports.batch.runner import run_task", "reports.batch"),
        ("reports.overview.views", "from fixtures.loaders.scores import DEMO_DIR", "fixtures"),
        # hidden inside a function, as the batch's tasks once imported their caller
        ("assessments.views", "def f():\n    from reports.urls import urlpatterns", "reports"),
    ],
)
def test_it_catches_an_import_that_goes_the_wrong_way(source: str, code: str, target: str) -> None:
    found = [
        Import(source, line, module)
        for line, module in imported_modules(ast.parse(code), source.rpartition(".")[0])
    ]
    [complaint] = wrong_way(found)
    assert source in complaint and f"({target} is " in complaint


def test_it_lets_type_checking_imports_and_own_room_imports_be() -> None:
    code = (
        "from typing import TYPE_CHECKING\n"
        "from assessments.models import Organisation\n"
        "if TYPE_CHECKING:\n"
        "    from measures.models import Measure\n"
    )
    found = [
        Import("assessments.views", line, m)
        for line, m in imported_modules(ast.parse(code), "assessments")
    ]
    assert wrong_way(found) == []
