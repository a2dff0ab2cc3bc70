"""What every page's menu shows of the reports app: the number of memos waiting for the reader."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from reports.memos.inbox import awaiting_count


def memos_waiting(request: HttpRequest) -> dict[str, object]:
    """Counted once (one query; two when memos wait), and only by a page that shows the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.organisation_id:
        return {"memos_waiting": ""}
    return {"memos_waiting": SimpleLazyObject(lambda: awaiting_count(user))}
