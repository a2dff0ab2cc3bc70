"""Official numbers: each organisation numbers its memos (ที่ พย ๗๒๔๐๑/๑๑๙) and its orders
(ที่ ๗๕/๒๕๖๔) from 1 in each calendar year (B.E.), in a register per series. A number is taken
under the register's row lock, so it is never given twice, and never reused, even when the
document that had it is deleted."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation


class NumberRegister(models.Model):
    """An organisation's last number of a series in a calendar year (B.E.)."""

    class Series(models.TextChoices):
        MEMO = "memo", _("Memos")
        ORDER = "order", _("Orders")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    series = models.CharField(_("series"), max_length=10, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number register")
        verbose_name_plural = _("number registers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "series", "year"], name="one_register_per_series_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_series_display()} {self.year}: {self.last_number}"


def number_take(
    *,
    organisation: Organisation,
    series: NumberRegister.Series,
    year: int,
    number: int | None = None,
) -> int:
    """The next number of the register (inside the caller's transaction), or `number` when one
    was given on paper, in which case the register is moved ahead of it."""
    try:
        with transaction.atomic():
            NumberRegister.objects.get_or_create(
                organisation=organisation, series=series, year=year
            )
    except IntegrityError:
        pass  # another transaction created the register first
    register = NumberRegister.objects.select_for_update().filter(
        organisation=organisation, series=series, year=year
    )
    if number is not None:
        register.filter(last_number__lt=number).update(last_number=number)
        return number
    register.update(last_number=F("last_number") + 1)
    return register.values_list("last_number", flat=True).get()
