"""Which provinces' data changed: raises ProvinceVersion so cached figures of the province expire.

Model signals cover single saves and deletes (forms, services, the admin); bulk writes, which send
no signals, call organisations_changed themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Assessment, Organisation, ProvinceVersion


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

    transaction.on_commit(bump)


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
