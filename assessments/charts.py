"""Bar charts as server-rendered SVG, one markup for the page and the PDF: the indicators' scores,
and the instruments' means with the overall score."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments import ita
from assessments.ita import Tier
from assessments.tiers import TIER_CSS
from itaportal import thai

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 34
BAR_COLOURS = {"success": "#198754", "warning": "#e0a100", "danger": "#dc3545"}
PREVIOUS_COLOUR = "#adb5bd"
MAX_BAR = 60  # a chart of four groups keeps its bars as wide as the indicators' at most


# One group's bars (an indicator's, an instrument's) and its label, as the SVG holds them. Written
# with str.format rather than in the template: the chart's few hundred coordinates cost a Django
# template variable each, about a tenth of the dashboard's time; every value is a number or a
# colour of this module, and the labels are digits or codes, escaped.
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
    """Each indicator's score, this year against the year before, coloured by its tier."""
    return _bar_chart(
        name="indicators",
        groups=[(n, thai.digits(n, thai_digits)) for n in numbers],
        current=current,
        previous=previous,
        tiers=tiers,
        year=year,
        previous_year=previous_year,
        thai_digits=thai_digits,
        title=title,
    )


OVERALL_KEY = "overall"


def instrument_chart(
    *,
    codes: list[str],
    current: Mapping[str, Decimal],
    previous: Mapping[str, Decimal],
    overall: tuple[Decimal | None, Decimal | None],
    thresholds: ita.Thresholds,
    year: int,
    previous_year: int | None,
    thai_digits: bool,
    title: str,
) -> SafeString:
    """Each instrument's mean and the overall score (seed 003's first two charts), this year
    against the year before, coloured by the tier each would have as an indicator's score."""
    now, before = dict(current), dict(previous)
    if overall[0] is not None:
        now[OVERALL_KEY] = overall[0]
    if overall[1] is not None:
        before[OVERALL_KEY] = overall[1]
    keys = [*codes, OVERALL_KEY]
    return _bar_chart(
        name="instruments",
        groups=[(key, _("Overall") if key == OVERALL_KEY else key) for key in keys],
        current=now,
        previous=before,
        tiers={key: ita.tier_of(value, thresholds) for key, value in now.items()},
        year=year,
        previous_year=previous_year,
        thai_digits=thai_digits,
        title=title,
    )


def _bar_chart[K: Hashable](
    *,
    name: str,
    groups: Sequence[tuple[K, str]],
    current: Mapping[K, Decimal],
    previous: Mapping[K, Decimal],
    tiers: Mapping[K, Tier],
    year: int,
    previous_year: int | None,
    thai_digits: bool,
    title: str,
) -> SafeString:
    """Bars per group (its key, its label under the axis): the year before in grey when known,
    this year in its tier's colour. `name` makes the SVG's ids unique in a page of charts."""
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(groups), 1)
    bar_width = min(slot * (0.34 if previous else 0.5), MAX_BAR)
    svg_groups = []
    label_y = HEIGHT - BOTTOM + 16
    for index, (key, group_label) in enumerate(groups, start=1):
        centre = LEFT + slot * (index - 0.5)
        series: list[tuple[Decimal | None, str]] = []
        if previous:
            series.append((previous.get(key), PREVIOUS_COLOUR))
        tier = tiers.get(key)
        series.append((current.get(key), BAR_COLOURS[TIER_CSS[tier]] if tier else "#6c757d"))
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
        svg_groups.append(
            GROUP.format(
                number=index,
                bars="".join(bars),
                centre=_at(centre),
                label_y=label_y,
                label=escape(group_label),
            )
        )
    gridlines = [
        {"y": _at(_y(Decimal(v))), "label": thai.digits(v, thai_digits)}
        for v in (0, 25, 50, 75, 100)
    ]
    return render_to_string(
        "assessments/charts/bars.svg",
        {
            "name": name,
            "width": WIDTH,
            "height": HEIGHT,
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "groups": SafeString("".join(svg_groups)),
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
