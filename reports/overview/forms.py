"""The overview's filters and sorting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation
from reports.overview.selectors import WithFigures, by_name

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
    """Narrows and orders the overview's organisations; choices come from the area's own."""

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
        self,
        *args: Any,
        area: QuerySet[Organisation],
        counted: Sequence[Mapping[str, Any]],
        provinces: list[str],
        **kwargs: Any,
    ) -> None:
        """`counted`: the area's `selectors.groups`, which name its kinds and levels."""
        super().__init__(*args, **kwargs)
        self.narrowed = False  # whether `apply` left organisations out
        everyone: list[tuple[str, Any]] = [("", _("All"))]
        kinds = {group["kind"] for group in counted}
        levels = {group["latest_level"] for group in counted if group["latest_level"]}
        districts = area.exclude(district="").order_by().values_list("district", flat=True)
        choices: dict[str, list[tuple[str, Any]]] = {
            "province": [(p, p) for p in provinces],
            "district": [(d, d) for d in sorted(districts.distinct())],
            "kind": [
                (value, label) for value, label in Organisation.Kind.choices if value in kinds
            ],
            "level": [(level, level) for level in sorted(levels)],
        }
        if not provinces:
            del self.fields["province"]
            del choices["province"]
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everyone + options

    def apply(self, organisations: WithFigures) -> WithFigures:
        """The area's organisations, as `selectors.with_figures` gives them, that pass every
        valid filter, ordered; an invalid filter is left out."""
        if not self.is_bound:
            return organisations.order_by(*by_name())
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        narrowing = []
        if q := data.get("q", "").strip():
            narrowing.append(Q(name__contains=q))
        for name in ("province", "district", "kind"):
            if value := data.get(name):
                narrowing.append(Q(**{name: value}))
        if level := data.get("level"):
            narrowing.append(Q(latest_level=level))
        if data.get("attention"):
            narrowing.append(Q(latest_uncovered__gt=0) | Q(overdue__gt=0))
        self.narrowed = bool(narrowing)
        organisations = organisations.filter(*narrowing)
        return organisations.order_by(*ordering(data.get("sort") or "name"))


# Each sort's figure, as selectors.with_figures annotates it.
FIGURE_OF_SORT = {
    "score": "latest_score",
    "change": "latest_change",
    "urgent": "latest_urgent",
    "uncovered": "latest_uncovered",
    "overdue": "overdue",
}


def ordering(sort: str) -> list[Any]:
    """Order by the chosen figure; organisations without a result or without the figure come
    last, then by name."""
    if sort == "name":
        return by_name()
    figure = FIGURE_OF_SORT[sort.lstrip("-")]
    descending = SORTS[sort][1]
    unknown = Case(
        When(Q(latest_year__isnull=True) | Q(**{f"{figure}__isnull": True}), then=Value(1)),
        default=Value(0),
    )
    return [unknown.asc(), F(figure).desc() if descending else F(figure).asc(), *by_name()]
