"""The help pages: open to every signed-in person, whatever their role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.help.figures import figures_for
from itaportal.help.glossary import roles
from reports.documents.models import DocumentKind

# Each area's help page: its title and what it answers, in the order the index lists them.
TOPICS: dict[str, tuple[Promise, Promise]] = {
    "scores": (
        _("Scores and the dashboard"),
        _("Entering NACC's results, how the overall and the level are worked out."),
    ),
    "plans": (
        _("Measures plans and measures"),
        _("Planning next year's measures from the results and following them up."),
    ),
    "memos": (
        _("Memos and approval"),
        _("Sending a memo to the executive and where it waits on the way."),
    ),
    "documents": (
        _("Documents and printing"),
        _("The official documents, their texts, printing one or many."),
    ),
    "oit": (
        _("OIT checklist"),
        _("What to publish on the website, and what each missing item costs."),
    ),
}


def _context(request: AuthenticatedHttpRequest) -> dict[str, object]:
    return {
        "figures": figures_for(request.user),
        "org": request.user.organisation,
        "topics": TOPICS,
    }


@login_required
def help_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "help/index.html", _context(request))


@login_required
def help_topic(request: AuthenticatedHttpRequest, topic: str) -> HttpResponse:
    title, _summary = TOPICS[topic]
    context = {
        **_context(request),
        "topic": topic,
        "title": title,
        "document_kinds": DocumentKind.labels,
    }
    return render(request, f"help/{topic}.html", context)


@login_required
def glossary(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        **_context(request),
        "topic": "glossary",
        "title": _("Glossary of ITA terms"),
        "roles": roles(),
    }
    return render(request, "help/glossary.html", context)
