"""Memos change their organisation's cached pages (the inbox; see assessments.changes).

Every change of a memo goes through reports.memos.services, which saves the memo or records a
MemoEvent."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from assessments.changes import organisations_changed
from reports.memos.models import Memo, MemoEvent, MemoStep


@receiver(post_save, sender=Memo)
@receiver(post_delete, sender=Memo)
def _memo_changed(sender: type, instance: Memo, **kwargs: object) -> None:
    organisations_changed([instance.organisation_id])


@receiver(post_save, sender=MemoEvent)
@receiver(post_save, sender=MemoStep)
@receiver(post_delete, sender=MemoStep)
def _memo_acted_on(sender: type, instance: MemoEvent | MemoStep, **kwargs: object) -> None:
    organisations_changed(
        Memo.objects.filter(pk=instance.memo_id).values_list("organisation_id", flat=True)
    )
