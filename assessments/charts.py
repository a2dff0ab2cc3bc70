"""The indicator bar chart as server-rendered SVG: one markup for the page and, later, the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.ita import Tier
from assessments.tiers import TIER_CSS
from itaportal import thai

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 34
BAR_COLOURS = {"success": "#198754", "warning": "#e0a100", "danger": "#dc3545"}
PREVIOUS_COLOUR = "#adb5bd"


@dataclass(frozen=True)
class Bar:
    """Coordinates as written into the SVG: strings, which the template prints as they are
    (a number would go through Django's localisation, a few hundred times a chart)."""

    x: str
    y: str
    width: str
    height: str
    colour: str
    label: str
    label_y: str
    label_dx: str


@dataclass(frozen=True)
class Group:
    centre: str
    label: str
    bars: list[Bar]


def _at(value: float) -> str:
    """A coordinate to one decimal, as the SVG holds it."""
    return str(round(value, 1))


def _y(value: Decimal) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * (1 - float(value) / 100)


def indicator_chart(
    *,
    numbers: list[int],
    current: dict[int, Decimal],
    previous: dict[int, Decimal],
    tiers: dict[int, Tier],
    year: int,
    previous_year: int | None,
    thai_digits: bool,
    title: str,
) -> SafeString:
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(numbers), 1)
    bar_width = slot * (0.34 if previous else 0.5)
    groups = []
    for index, number in enumerate(numbers):
        centre = LEFT + slot * (index + 0.5)
        series: list[tuple[Decimal | None, str]] = []
        if previous:
            series.append((previous.get(number), PREVIOUS_COLOUR))
        tier = tiers.get(number)
        series.append((current.get(number), BAR_COLOURS[TIER_CSS[tier]] if tier else "#6c757d"))
        start = centre - bar_width * len(series) / 2
        bars = []
        for offset, (value, colour) in enumerate(series):
            if value is None:
                continue
            y = _y(value)
            bars.append(
                Bar(
                    x=_at(start + offset * bar_width),
                    y=_at(y),
                    width=_at(bar_width - 2),
                    height=_at(_y(Decimal(0)) - y),
                    colour=colour,
                    label=thai.digits(
                        f"{value:.0f}" if value == 100 else f"{value:.1f}", thai_digits
                    ),
                    label_y=_at(y - 3),
                    label_dx=str(round(round(bar_width - 2, 1) / 2)),
                )
            )
        groups.append(Group(centre=_at(centre), label=thai.digits(number, thai_digits), bars=bars))
    gridlines = [
        {"y": _at(_y(Decimal(v))), "label": thai.digits(v, thai_digits)}
        for v in (0, 25, 50, 75, 100)
    ]
    return render_to_string(
        "assessments/charts/indicators.svg",
        {
            "width": WIDTH,
            "height": HEIGHT,
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "groups": groups,
            "gridlines": gridlines,
            "title": title,
            "previous_year": previous_year,
            "previous_label": _("FY %(year)s") % {"year": thai.year_be(previous_year, thai_digits)}
            if previous_year
            else "",
            "current_label": _("FY %(year)s (colour = tier)")
            % {"year": thai.year_be(year, thai_digits)},
            "previous_colour": PREVIOUS_COLOUR,
            "axis_y": HEIGHT - BOTTOM,
            "label_y": HEIGHT - BOTTOM + 16,
        },
    )
