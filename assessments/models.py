from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments import ita
from assessments.emblem import EmblemField
from itaportal import thai
from itaportal.statements import Statement

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def score_field(verbose_name: StrOrPromise, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs
    )


class FrameworkData(models.Model):
    """A row of a framework's tables. `updated_at` lets every process see an edit made anywhere:
    selectors.FrameworkCatalogue keeps the frameworks it read while no table's count or latest
    edit changed."""

    updated_at = models.DateTimeField(auto_now=True, editable=False, verbose_name=_("updated at"))

    class Meta:
        abstract = True


class Framework(FrameworkData):
    """The ITA as NACC runs it for a range of fiscal years: instruments, indicators, weights, bands.

    Every number here is data (fixtures/ita_frameworks.json, then the admin); `rules()` hands it to
    the arithmetic in assessments/ita.py.
    """

    name = models.CharField(_("name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first fiscal year (B.E.)"))
    last_year = models.PositiveSmallIntegerField(_("last fiscal year (B.E.)"))
    kinds = models.CharField(
        _("kinds of organisation"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated kinds this framework applies to (city, town, subdistrict, sao, "
            "pao, other); empty for every kind."
        ),
    )
    uncertain = models.TextField(
        _("uncertain"),
        blank=True,
        help_text=_("What is not confirmed about this framework; empty when it is confirmed."),
    )
    discrepancy_tolerance = models.DecimalField(
        _("discrepancy tolerance"),
        max_digits=4,
        decimal_places=2,
        help_text=_("Computed and published overall may differ by this much before a warning."),
    )
    default_maintain_from = score_field(_("default maintain threshold"))
    default_raise_from = score_field(_("default raise threshold"))
    default_target = score_field(_("default target"))

    class Meta:
        ordering = ["first_year"]
        verbose_name = _("ITA framework")
        verbose_name_plural = _("ITA frameworks")
        constraints = [
            models.CheckConstraint(
                name="framework_years_in_order", condition=Q(first_year__lte=models.F("last_year"))
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_list(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.kinds.split(",") if k.strip())

    def applies_to(self, kind: str | None) -> bool:
        return not self.kind_list or kind in self.kind_list

    def clean(self) -> None:
        unknown = [k for k in self.kind_list if k not in Organisation.Kind.values]
        if unknown:
            raise ValidationError(
                {
                    "kinds": _("Unknown kinds: %(kinds)s. Kinds: %(known)s")
                    % {"kinds": ", ".join(unknown), "known": ", ".join(Organisation.Kind.values)}
                }
            )
        if self.first_year and self.last_year:
            candidates = Framework.objects.filter(
                first_year__lte=self.last_year, last_year__gte=self.first_year
            ).exclude(pk=self.pk)
            mine = set(self.kind_list)
            overlapping = next(
                (
                    other
                    for other in candidates
                    if not mine or not other.kind_list or mine & set(other.kind_list)
                ),
                None,
            )
            if overlapping:
                raise ValidationError(
                    _("These years overlap the framework “%(name)s”."),
                    params={"name": overlapping.name},
                )

    def rules(self) -> ita.Rules:
        instruments = tuple(
            ita.InstrumentRule(
                code=inst.code,
                weight=inst.weight,
                indicators=tuple(ind.number for ind in inst.indicators.all()),
                score_from_items=inst.score_from_items,
            )
            for inst in self.instruments.all()
        )
        bands = tuple(
            ita.Band(
                code=band.code,
                min_score=band.min_score,
                passing=band.passing,
                aliases=band.alias_list,
                floors=tuple(band.floor_map().items()),
            )
            for band in self.bands.all()
        )
        items = tuple(
            ita.ItemRule(code=item.code, indicator=ind.number, all_or_nothing=inst.all_or_nothing)
            for inst in self.instruments.all()
            for ind in inst.indicators.all()
            for item in ind.items.all()
        )
        return ita.Rules(
            instruments=instruments,
            bands=bands,
            tolerance=self.discrepancy_tolerance,
            items=items,
        )

    def default_thresholds(self) -> ita.Thresholds:
        return ita.Thresholds(
            maintain_from=self.default_maintain_from,
            raise_from=self.default_raise_from,
            target=self.default_target,
        )

    def indicator_names(self) -> dict[int, str]:
        return {
            ind.number: ind.name_th
            for inst in self.instruments.all()
            for ind in inst.indicators.all()
        }

    def items(self) -> list[Item]:
        """Every item of the framework, instrument by instrument, in order (prefetch-friendly)."""
        return [
            item
            for inst in self.instruments.all()
            for ind in inst.indicators.all()
            for item in ind.items.all()
        ]


class ScoreFromItems(models.TextChoices):
    """How an instrument's indicator scores follow from their items (assessments.ita applies it)."""

    PUBLISHED = "", _("as published")
    MEAN = ita.MEAN_OF_ITEMS, _("the mean of its items, when the indicator is left empty")


class Instrument(FrameworkData):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="instruments", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=10)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Share of the overall score, e.g. 0.30."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    all_or_nothing = models.BooleanField(
        _("items score 0 or 100"),
        default=False,
        help_text=_(
            "Each item scores 100 when everything it requires is there, 0 otherwise (OIT)."
        ),
    )
    score_from_items = models.CharField(
        _("indicator scores"),
        max_length=10,
        choices=ScoreFromItems.choices,
        default=ScoreFromItems.PUBLISHED,
        blank=True,
        help_text=_(
            "Whether an indicator left empty is computed from its items' scores; a published "
            "indicator score always counts."
        ),
    )

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_instrument_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def item_count(self) -> int:
        """How many items its indicators have (prefetch-friendly)."""
        return sum(len(ind.items.all()) for ind in self.indicators.all())


class Indicator(FrameworkData):
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("instrument"),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("The indicator's identity across years.")
    )
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="unique_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_th}"

    def clean(self) -> None:
        if self.instrument_id is None:
            return
        clash = Indicator.objects.filter(
            instrument__framework_id=self.instrument.framework_id, number=self.number
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"number": _("This framework already has this number.")})


class InstrumentPart(FrameworkData):
    """A part an instrument is published in (EIT ส่วนที่ ๑ and ๒ from FY 2568)."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="parts", verbose_name=_("instrument")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_th = models.CharField(_("Thai name"), max_length=200)

    class Meta:
        ordering = ["instrument", "number"]
        verbose_name = _("instrument part")
        verbose_name_plural = _("instrument parts")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="unique_part"),
        ]

    def __str__(self) -> str:
        return self.name_th


ITEM_CODE = RegexValidator(
    ita.ITEM_CODE_PATTERN, _("An item code is lower-case letters and a number, e.g. i1, e4 or o12.")
)


class Item(FrameworkData):
    """A question or checklist item of an instrument (i1, e4, o12), under one indicator."""

    class EvidenceYear(models.TextChoices):
        ASSESSED = "assessed", _("the assessed fiscal year")
        PREVIOUS = "previous", _("the fiscal year before")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="items", verbose_name=_("indicator")
    )
    code = models.CharField(_("code"), max_length=10, validators=[ITEM_CODE])
    title = models.CharField(_("title"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    elements = models.TextField(
        _("required elements"), blank=True, help_text=_("One per line: all must be there.")
    )
    evidence_year = models.CharField(
        _("evidence must be of"), max_length=10, choices=EvidenceYear.choices, blank=True
    )
    file_types = models.CharField(
        _("expected file types"), max_length=100, blank=True, help_text=_("e.g. PDF, XLSX")
    )
    portal_documents = models.CharField(
        _("the portal's documents"),
        max_length=100,
        blank=True,
        help_text=_(
            "The portal's own documents that answer this item, comma-separated kinds "
            "(analysis, plan, progress, order): filled in the OIT checklist once approved."
        ),
    )
    uncertain = models.CharField(
        _("uncertain"),
        max_length=300,
        blank=True,
        help_text=_("What is not confirmed about this item; empty when it is confirmed."),
    )

    class Meta:
        ordering = ["indicator", "order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="unique_item_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def element_list(self) -> list[str]:
        return [line.strip() for line in self.elements.splitlines() if line.strip()]

    @property
    def portal_document_list(self) -> list[str]:
        return [kind.strip() for kind in self.portal_documents.split(",") if kind.strip()]

    def clean(self) -> None:
        if self.indicator_id is None:
            return
        clash = Item.objects.filter(
            indicator__instrument__framework_id=self.indicator.instrument.framework_id,
            code=self.code,
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"code": _("This framework already has this item code.")})


class ItemCrosswalk(FrameworkData):
    """Which item of a later framework an item became (2567's o32 → 2569's o25): how a new year's
    OIT checklist carries the last one's owners and standing evidence."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="crosswalk_to", verbose_name=_("item")
    )
    successor = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="crosswalk_from", verbose_name=_("successor")
    )
    uncertain = models.CharField(
        _("uncertain"),
        max_length=300,
        blank=True,
        help_text=_("What is not confirmed about this link; empty when it is confirmed."),
    )

    class Meta:
        ordering = ["item", "successor"]
        verbose_name = _("item crosswalk")
        verbose_name_plural = _("item crosswalk")
        constraints = [
            models.UniqueConstraint(fields=["item", "successor"], name="unique_item_crosswalk"),
            models.CheckConstraint(
                condition=~Q(item=models.F("successor")), name="crosswalk_to_another_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} → {self.successor.code}"

    def clean(self) -> None:
        if self.item_id is None or self.successor_id is None:
            return
        if (
            self.successor.indicator.instrument.framework.first_year
            <= self.item.indicator.instrument.framework.last_year
        ):
            raise ValidationError(
                {"successor": _("The successor must be an item of a later framework.")}
            )


class LevelBand(FrameworkData):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="bands", verbose_name=_("framework")
    )
    code = models.CharField(_("level"), max_length=50, help_text=_("e.g. AA, A or ผ่านดีเยี่ยม"))
    min_score = score_field(_("lowest score"))
    passing = models.BooleanField(_("passes"), default=False)
    aliases = models.CharField(
        _("other names"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated labels that published results use for this band."),
    )
    floors = models.CharField(
        _("instrument floors"),
        max_length=200,
        blank=True,
        help_text=_(
            "The lowest score each named instrument must have for this level, e.g. "
            "“IIT 95, EIT 95, OIT 95”; empty when only the overall counts."
        ),
    )
    uncertain = models.CharField(
        _("uncertain"),
        max_length=300,
        blank=True,
        help_text=_("What is not confirmed about this band; empty when it is confirmed."),
    )

    class Meta:
        ordering = ["framework", "-min_score", "pk"]
        verbose_name = _("level band")
        verbose_name_plural = _("level bands")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_band_code"),
        ]

    def __str__(self) -> str:
        return self.code

    def floor_map(self) -> dict[str, Decimal]:
        """Instrument code -> floor; raises ValueError naming a part it cannot read."""
        return parse_floors(self.floors)

    @property
    def alias_list(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self.aliases.split(",") if a.strip())


def parse_floors(text: str) -> dict[str, Decimal]:
    """“IIT 95, EIT 95” (or “IIT=95”; Thai digits too) as {"IIT": 95}; ValueError on a bad part."""
    floors: dict[str, Decimal] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        code, _sep, number = part.replace("=", " ").strip().partition(" ")
        try:
            value = thai.parse_number(number.strip())
        except ValueError:
            raise ValueError(part.strip()) from None
        if not code or not ita.ZERO <= value <= ita.HUNDRED or code in floors:
            raise ValueError(part.strip())
        floors[code] = value
    return floors


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CITY_MUNICIPALITY = "city", _("City municipality (เทศบาลนคร)")
        TOWN_MUNICIPALITY = "town", _("Town municipality (เทศบาลเมือง)")
        SUBDISTRICT_MUNICIPALITY = "subdistrict", _("Subdistrict municipality (เทศบาลตำบล)")
        SAO = "sao", _("Subdistrict administrative organisation (อบต.)")
        PAO = "pao", _("Provincial administrative organisation (อบจ.)")
        OTHER = "other", _("Other")

    class DigitStyle(models.TextChoices):
        THAI = "thai", _("Thai digits (๑๒๓)")
        ARABIC = "arabic", _("Arabic digits (123)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. เทศบาลตำบลบางเก่า"))
    district = models.CharField(_("district"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100)
    code = models.CharField(_("local-government code"), max_length=20, blank=True)
    letter_code = models.CharField(
        _("letter code"), max_length=50, blank=True, help_text=_("e.g. พย ๗๒๔๐๑")
    )
    digit_style = models.CharField(
        _("digits in documents"), max_length=10, choices=DigitStyle.choices, default=DigitStyle.THAI
    )
    executive_title = models.CharField(
        _("executive's title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. นายกเทศมนตรีตำบลบางเก่า"),
    )
    executive_name = models.CharField(
        _("executive's name"),
        max_length=200,
        blank=True,
        help_text=_("With นาย, นาง or นางสาว, e.g. นายสมชาย ใจดี"),
    )
    website = models.URLField(
        _("main website"),
        max_length=300,
        blank=True,
        help_text=_(
            "The address of the organisation's own website, e.g. https://www.bangkao.go.th: the "
            "OIT checklist checks that its evidence lives there."
        ),
    )
    emblem = EmblemField(
        _("Garuda emblem"),
        upload_to="emblems/",
        blank=True,
        help_text=_(
            "The official emblem, PNG or JPEG; documents leave its space empty without it."
        ),
    )

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "province"], name="unique_org_name_province"),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="unique_org_code_when_set"
            ),
        ]
        # A supervisor's area (a province, a district of it): the overview's every query. On
        # PostgreSQL, migration 0018 also indexes the names in character order (by_name).
        indexes = [models.Index(fields=["province", "district"], name="organisation_area")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def kind_from_name(name: str) -> str:
        """The kind a Thai name says (เทศบาลตำบล…, อบต.…) of an organisation known by name only."""
        prefixes = [
            ("เทศบาลนคร", Organisation.Kind.CITY_MUNICIPALITY),
            ("เทศบาลเมือง", Organisation.Kind.TOWN_MUNICIPALITY),
            ("เทศบาลตำบล", Organisation.Kind.SUBDISTRICT_MUNICIPALITY),
            ("องค์การบริหารส่วนตำบล", Organisation.Kind.SAO),
            ("อบต.", Organisation.Kind.SAO),
            ("องค์การบริหารส่วนจังหวัด", Organisation.Kind.PAO),
            ("อบจ.", Organisation.Kind.PAO),
        ]
        for prefix, kind in prefixes:
            if name.startswith(prefix):
                return kind
        return Organisation.Kind.OTHER

    @property
    def uses_thai_digits(self) -> bool:
        return self.digit_style == self.DigitStyle.THAI

    @property
    def place(self) -> str:
        """The name with its district and province, as a memo's ส่วนราชการ line names it."""
        words = [self.name]
        if self.district:
            words.append(f"อำเภอ{self.district}")
        words.append(f"จังหวัด{self.province}")
        return " ".join(words)

    def unit_lines(self) -> list[str]:
        """The memo's ส่วนราชการ line for each unit, in order: the unit, the organisation and
        where, the unit's telephone in the organisation's digits."""
        lines = []
        for unit in self.units.all():
            line = f"{unit.name} {self.place}"
            if unit.phone:
                line += f" โทร. {thai.digits(thai.arabic(unit.phone), self.uses_thai_digits)}"
            lines.append(line)
        return lines


def validate_phone(value: str) -> None:
    """Digits (Thai or Arabic) with the spaces, dashes and brackets people write, and "ต่อ" for
    an extension."""
    text = value.replace("ต่อ", " ")
    if not re.fullmatch(r"[0-9๐-๙ \-+(),/.]*", text) or len(re.findall(r"[0-9๐-๙]", text)) < 4:
        raise ValidationError(
            _("Write the telephone number in digits, e.g. ๐ ๕๔๔๘ ๑๒๓๔ or ๐๕๔๔๘๑๒๓๔ ต่อ ๑๒.")
        )


class Unit(models.Model):
    """A division of the organisation (สำนักปลัด, กองคลัง, …) and its telephone number: what a
    memo's ส่วนราชการ line says."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("unit"), max_length=200, help_text=_("e.g. สำนักปลัด"))
    phone = models.CharField(
        _("telephone"),
        max_length=60,
        blank=True,
        validators=[validate_phone],
        help_text=_("e.g. ๐ ๕๔๔๘ ๑๒๓๔ ต่อ ๑๒"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["organisation", "order", "pk"]
        verbose_name = _("unit (ส่วนราชการ)")
        verbose_name_plural = _("units (ส่วนราชการ)")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_unit_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """An organisation's ITA result for a fiscal year, as published, with its planning settings."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("organisation"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    published_score = score_field(_("published overall score"), null=True, blank=True)
    published_level = models.CharField(_("published level"), max_length=50, blank=True)
    maintain_from = score_field(_("maintain from"))
    raise_from = score_field(_("raise from"))
    target = score_field(_("target for next year"))
    # Made up by the demo loader (fixtures/loaders/later_years.py) for the years after a seed's
    # real ones; pages mark such a year so nobody takes it for a published result. A person's
    # save or import of the year makes it theirs (the services clear it).
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        editable=False,
        help_text=_("Made-up figures of the demo data, not published results."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["organisation", "fiscal_year"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="one_assessment_per_year"
            ),
            models.CheckConstraint(
                name="published_score_in_range",
                condition=Q(published_score__isnull=True)
                | Q(published_score__gte=0, published_score__lte=100),
            ),
            models.CheckConstraint(
                name="tier_thresholds_in_order",
                condition=Q(raise_from__lte=models.F("maintain_from")),
            ),
        ]

    # What the items said when the year was last saved (assessments.services.assessment_save
    # sets it): the indicators computed from them and the published ones they contradict.
    from_items: ita.FromItems | None = None

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"

    @staticmethod
    def audit_label(name: str) -> str | None:
        """The Thai label of an audited value that is not a field: `score_N`, indicator N's score,
        `item_CODE`, an item's (assessments.services.assessment_values writes them; the audit
        page asks here)."""
        prefix, _sep, number = name.partition("_")
        if prefix == "score" and number.isdigit():
            return _("score of indicator %(number)s") % {"number": number}
        if prefix == "item" and number:
            return _("score of item %(code)s") % {"code": number}
        return None

    @property
    def thresholds(self) -> ita.Thresholds:
        return ita.Thresholds(
            maintain_from=self.maintain_from, raise_from=self.raise_from, target=self.target
        )

    def score_map(self) -> dict[int, Decimal]:
        """Indicator number -> score, in number order; uses prefetched indicator_scores when
        present."""
        if "indicator_scores" in getattr(self, "_prefetched_objects_cache", {}):
            return {s.number: s.score for s in self.indicator_scores.all()}
        return {number: score for _, number, score in INDICATOR_SCORES.rows([self.pk])}

    def item_map(self) -> dict[str, Decimal]:
        """Item code -> score; uses prefetched item_scores when present."""
        if "item_scores" in getattr(self, "_prefetched_objects_cache", {}):
            return {s.code: s.score for s in self.item_scores.all()}
        return dict(_ITEM_MAP.rows(self.pk))


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="indicator_scores",
        verbose_name=_("assessment"),
    )
    number = models.PositiveSmallIntegerField(_("indicator"))
    score = score_field(_("score"))

    class Meta:
        ordering = ["assessment", "number"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="one_score_per_indicator"
            ),
            models.CheckConstraint(
                name="indicator_score_in_range", condition=Q(score__gte=0, score__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.score}"


class ItemScore(models.Model):
    """A published item score (an IIT or EIT question, an OIT item as 0 or 100), by its code."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="item_scores",
        verbose_name=_("assessment"),
    )
    code = models.CharField(_("item"), max_length=10)
    score = score_field(_("score"))

    class Meta:
        ordering = ["assessment", "pk"]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_score_per_item"),
            models.CheckConstraint(
                name="item_score_in_range", condition=Q(score__gte=0, score__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.score}"


# Assessments' scores, as the dashboards, plans and score form read them (their SQL written once:
# itaportal.statements). Indicator scores as (assessment, number, score), in number order, as
# score_map gives them (ties in the rankings keep that order).
INDICATOR_SCORES = Statement(
    lambda assessments: (
        IndicatorScore.objects.filter(assessment__in=assessments)
        .order_by("number")
        .values_list("assessment_id", "number", "score")
    )
)
_ITEM_MAP = Statement(
    lambda assessment_id: (
        ItemScore.objects.filter(assessment_id=assessment_id)
        .order_by("pk")
        .values_list("code", "score")
    )
)


class YearSummary(models.Model):
    """What the overview and the lists of years show of an organisation's year, kept rather than
    recomputed on every page.

    Written in the transaction of each write that changes it, by the service that writes:
    the figures of the result by assessments.summaries (scores saved or imported, a framework
    edited), the plan that answers the result (the plan of the year after) by measures.services.
    `manage.py rebuild_summaries` writes them all again from scratch.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="summaries"
    )
    fiscal_year = models.PositiveSmallIntegerField()
    latest = models.BooleanField(default=False)  # the organisation's latest assessed year
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    level = models.CharField(max_length=50, blank=True)
    passing = models.BooleanField(null=True)
    change = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    urgent = models.PositiveSmallIntegerField(default=0)
    tiers = models.JSONField(default=dict)  # {indicator number: ita.Tier}
    needing = models.PositiveSmallIntegerField(default=0)  # urgent and raise indicators
    has_plan = models.BooleanField(default=False)
    covered = models.JSONField(default=list)  # indicators that the plan's live measures address
    uncovered = models.PositiveSmallIntegerField(default=0)  # needing, not covered
    is_demo = models.BooleanField(default=False)  # the result is made up (Assessment.is_demo)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="one_summary_per_year"
            )
        ]
        indexes = [models.Index(fields=["latest", "organisation"], name="summary_latest")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.fiscal_year}: {self.score}"
