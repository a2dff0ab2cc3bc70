"""The indicator bar chart as server-rendered SVG: one markup for the page and, later, the PDF."""

from __future__ import annotations

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


# One indicator's bars and its number, as the SVG holds them. Written with str.format rather
# than in the template: the chart's few hundred coordinates cost a Django template variable each,
# about a tenth of the dashboard's time; every value is a number or a colour of this module, and
# the labels are digits.
GROUP = (
    '<g class="indicator-group" data-indicator="{number}">\n'
    "    {bars}"
    '<text x="{centre}" y="{label_y}" text-anchor="middle" font-size="12" fill="#212529">'
    "{label}</text>\n"
    "  </g>\n  "
)
BAR = (
    '<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{colour}" rx="1.5"/>\n'
    '    <text x="{x}" y="{label_y}" dx="{label_dx}" text-anchor="middle" font-size="9"'
    ' fill="#343a40">{label}</text>\n    '
)


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
    label_y = HEIGHT - BOTTOM + 16
    for index, number in enumerate(numbers, start=1):
        centre = LEFT + slot * (index - 0.5)
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
                BAR.format(
                    x=_at(start + offset * bar_width),
                    y=_at(y),
                    width=_at(bar_width - 2),
                    height=_at(_y(Decimal(0)) - y),
                    colour=colour,
                    label=thai.digits(
                        f"{value:.0f}" if value == 100 else f"{value:.1f}", thai_digits
                    ),
                    label_y=_at(y - 3),
                    label_dx=round(round(bar_width - 2, 1) / 2),
                )
            )
        groups.append(
            GROUP.format(
                number=index,
                bars="".join(bars),
                centre=_at(centre),
                label_y=label_y,
                label=thai.digits(number, thai_digits),
            )
        )
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
            "groups": SafeString("".join(groups)),
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
        },
    )
