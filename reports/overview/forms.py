"""The overview's filters and sorting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation
from reports.overview.selectors import OrganisationRow

SORTS = {
    "name": (_("Organisation name"), False),
    "score": (_("Score, highest first"), True),
    "-score": (_("Score, lowest first"), False),
    "change": (_("Change, most improved first"), True),
    "-change": (_("Change, most fallen first"), False),
    "urgent": (_("Most urgent indicators"), True),
    "uncovered": (_("Most indicators without a measure"), True),
    "overdue": (_("Most overdue measures"), True),
}


class OverviewFilterForm(forms.Form):
    """Narrows and orders the overview's rows; choices come from the rows themselves."""

    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Province"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    attention = forms.BooleanField(
        label=_("Only those with uncovered indicators or overdue measures"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _desc) in SORTS.items()],
    )

    def __init__(
        self, *args: Any, rows: list[OrganisationRow], provinces: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone: list[tuple[str, Any]] = [("", _("All"))]
        kinds = {row.kind for row in rows}
        choices: dict[str, list[tuple[str, Any]]] = {
            "province": [(p, p) for p in provinces],
            "district": [(d, d) for d in sorted({row.district for row in rows if row.district})],
            "kind": [
                (value, label) for value, label in Organisation.Kind.choices if value in kinds
            ],
            "level": [(level, level) for level in sorted({row.level for row in rows if row.level})],
        }
        if not provinces:
            del self.fields["province"]
            del choices["province"]
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everyone + options

    def apply(self, rows: list[OrganisationRow]) -> list[OrganisationRow]:
        """The rows that pass every valid filter, ordered; an invalid filter is left out."""
        if not self.is_bound:
            return sorted(rows, key=lambda r: r.name)
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if q := data.get("q", "").strip():
            rows = [r for r in rows if q in r.name]
        for name in ("province", "district", "kind", "level"):
            if value := data.get(name):
                rows = [r for r in rows if getattr(r, name) == value]
        if data.get("attention"):
            rows = [r for r in rows if r.needs_attention]
        return sort_rows(rows, data.get("sort") or "name")


def sort_rows(rows: list[OrganisationRow], sort: str) -> list[OrganisationRow]:
    """Order by the chosen figure; organisations without it come last, then by name."""
    if sort == "name":
        return sorted(rows, key=lambda r: r.name)
    attribute = sort.lstrip("-")
    descending = SORTS[sort][1]
    known: list[OrganisationRow] = []
    unknown: list[OrganisationRow] = []
    for row in rows:
        has_figure = row.latest_year is not None and getattr(row, attribute) is not None
        (known if has_figure else unknown).append(row)
    known.sort(key=lambda r: r.name)
    known.sort(key=lambda r: getattr(r, attribute), reverse=descending)
    return known + sorted(unknown, key=lambda r: r.name)
