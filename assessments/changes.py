"""Which provinces' data changed: raises ProvinceVersion so cached figures of the province expire.

Everything cached from an organisation's data is keyed by its province's counter: the supervisor
overview (reports.overview.selectors) and the rendered pages of an organisation
(itaportal.fragments). Model signals cover single saves and deletes (forms, services, the admin);
bulk writes and `.update()`, which send no signals, call organisations_changed themselves. A change
to the frameworks or the suggested measures, which every organisation's pages show, raises every
province's counter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    Instrument,
    InstrumentPart,
    Item,
    LevelBand,
    Organisation,
    ProvinceVersion,
)
from itaportal.accounts.models import User


def after_commit(bump: Callable[[], None]) -> None:
    """Raise counters once the writes commit: a reader who sees the new counter sees the new data.
    (The tests, whose writes are never committed, raise them at once instead.)"""
    transaction.on_commit(bump)


def province_changed(province: str) -> None:
    """Raise the province's counter once the current transaction commits (at once outside one)."""

    def bump() -> None:
        updated = ProvinceVersion.objects.filter(province=province).update(version=F("version") + 1)
        if not updated:
            version, created = ProvinceVersion.objects.get_or_create(
                province=province, defaults={"version": 1}
            )
            if not created:  # another process created it in between
                ProvinceVersion.objects.filter(pk=version.pk).update(version=F("version") + 1)

    after_commit(bump)


def all_provinces_changed() -> None:
    """Raise every province's counter, creating the counters that do not exist yet."""

    def bump() -> None:
        provinces = set(Organisation.objects.order_by().values_list("province", flat=True))
        ProvinceVersion.objects.bulk_create(
            [ProvinceVersion(province=p) for p in provinces], ignore_conflicts=True
        )
        ProvinceVersion.objects.update(version=F("version") + 1)

    after_commit(bump)


def organisations_changed(organisation_ids: Iterable[int]) -> None:
    provinces = Organisation.objects.filter(pk__in=list(organisation_ids)).values_list(
        "province", flat=True
    )
    for province in set(provinces):
        province_changed(province)


def province_versions(provinces: Iterable[str]) -> dict[str, int]:
    wanted = list(provinces)
    found = dict(
        ProvinceVersion.objects.filter(province__in=wanted).values_list("province", "version")
    )
    return {p: found.get(p, 0) for p in wanted}


def data_version(organisation: Organisation) -> int:
    """The counter of the organisation's province: assessments.access reads it with the
    organisation it returns; asked for only when it was not."""
    annotated = getattr(organisation, "data_version", None)
    if annotated is not None:
        return int(annotated)
    return province_versions([organisation.province])[organisation.province]


def organisation_with_version(pk: int) -> Organisation | None:
    """The organisation with its province's counter as `data_version`, in one statement.

    Written as SQL: asked on every page of an organisation, where the ORM's compilation of the
    same join cost more than the query itself (about 1.5 ms of CPU here).
    """
    organisations = Organisation._meta.db_table
    counters = ProvinceVersion._meta.db_table
    sql = (
        f"SELECT o.*, COALESCE(v.version, 0) AS data_version FROM {organisations} o"
        f" LEFT JOIN {counters} v ON v.province = o.province WHERE o.id = %s"
    )
    return next(iter(Organisation.objects.raw(sql, [pk])), None)


def versions(province: str) -> tuple[int, int]:
    """(the province's counter, the sum of all counters), in one query: keys of cached pages."""
    totals = ProvinceVersion.objects.aggregate(
        province=Sum("version", filter=Q(province=province), default=0),
        country=Sum("version", default=0),
    )
    return totals["province"], totals["country"]


@receiver(pre_save, sender=Organisation)
def _organisation_moving(sender: type, instance: Organisation, **kwargs: object) -> None:
    if instance.pk:
        old = Organisation.objects.filter(pk=instance.pk).values_list("province", flat=True).first()
        if old and old != instance.province:
            province_changed(old)


@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
def _organisation_changed(sender: type, instance: Organisation, **kwargs: object) -> None:
    province_changed(instance.province)


@receiver(post_save, sender=Assessment)
@receiver(post_delete, sender=Assessment)
def _assessment_changed(sender: type, instance: Assessment, **kwargs: object) -> None:
    organisations_changed([instance.organisation_id])


@receiver(post_save, sender=Framework)
@receiver(post_delete, sender=Framework)
@receiver(post_save, sender=Instrument)
@receiver(post_delete, sender=Instrument)
@receiver(post_save, sender=Indicator)
@receiver(post_delete, sender=Indicator)
@receiver(post_save, sender=LevelBand)
@receiver(post_delete, sender=LevelBand)
@receiver(post_save, sender=Item)
@receiver(post_delete, sender=Item)
@receiver(post_save, sender=InstrumentPart)
@receiver(post_delete, sender=InstrumentPart)
def _framework_changed(sender: type, **kwargs: object) -> None:
    all_provinces_changed()  # levels, names and weights of every organisation's years


NAME_FIELDS = ("first_name", "last_name", "username", "organisation_id")


@receiver(pre_save, sender=User)
def _person_renamed(sender: type, instance: User, **kwargs: object) -> None:
    """Pages show people by name (measure owners): a rename expires their organisation's pages."""
    update_fields = kwargs.get("update_fields")
    if not instance.pk or (
        update_fields is not None
        and not {"first_name", "last_name", "username", "organisation"} & set(update_fields)  # type: ignore[call-overload]
    ):
        return  # a new person, or a login's last_login
    old = User.objects.filter(pk=instance.pk).values(*NAME_FIELDS).first()
    if old and any(old[f] != getattr(instance, f) for f in NAME_FIELDS):
        organisations_changed(
            [pk for pk in (old["organisation_id"], instance.organisation_id) if pk]
        )
