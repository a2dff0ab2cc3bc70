"""Plans, measures, analyses and follow-up change a province's cached figures and pages
(see assessments.changes); the suggested measures change every plan page."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from assessments.changes import all_provinces_changed, organisations_changed
from measures.models import InstrumentAnalysis, Measure, MeasurePlan, Progress, SuggestedMeasure


@receiver(post_save, sender=MeasurePlan)
@receiver(post_delete, sender=MeasurePlan)
def _plan_changed(sender: type, instance: MeasurePlan, **kwargs: object) -> None:
    organisations_changed([instance.organisation_id])


@receiver(post_save, sender=InstrumentAnalysis)
@receiver(post_delete, sender=InstrumentAnalysis)
@receiver(post_save, sender=Measure)
@receiver(post_delete, sender=Measure)
def _measure_changed(
    sender: type, instance: Measure | InstrumentAnalysis, **kwargs: object
) -> None:
    organisations_changed(
        MeasurePlan.objects.filter(pk=instance.plan_id).values_list("organisation_id", flat=True)
    )


@receiver(post_save, sender=Progress)
@receiver(post_delete, sender=Progress)
def _progress_changed(sender: type, instance: Progress, **kwargs: object) -> None:
    organisations_changed(
        MeasurePlan.objects.filter(measures=instance.measure_id).values_list(
            "organisation_id", flat=True
        )
    )


@receiver(post_save, sender=SuggestedMeasure)
@receiver(post_delete, sender=SuggestedMeasure)
def _suggestions_changed(sender: type, **kwargs: object) -> None:
    all_provinces_changed()
