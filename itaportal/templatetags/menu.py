"""The menu every page of a signed-in person shows, built in Python: as a template block of
twenty tags it took 0.75-0.95 ms of CPU a request, in Python 0.37-0.53 ms (rendered alone, 500
times), for links that only the person's role and organisation choose; so each kind of person's
links are now built once per process, and only the memo count is written in (session 35).
base.html places it: `{% main_menu %}`."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, pgettext

register = template.Library()


def _item(url: str, label: str, *, id: str = "", extra: str = "") -> str:
    attribute = f' id="{id}"' if id else ""
    return (
        f'<li class="nav-item"><a class="nav-link" href="{escape(url)}"{attribute}>'
        f"{escape(label)}{extra}</a></li>"
    )


def _badge(waiting: object) -> str:
    """The number of memos waiting for the person (reports.context_processors), if any."""
    if not waiting:
        return ""
    title = escape(gettext("memos waiting for you"))
    return (
        f' <span class="badge rounded-pill text-bg-warning" id="memos-waiting" title="{title}">'
        f"{escape(str(waiting))}</span>"
    )


# Where the number of memos waiting goes in the remembered links.
BADGE = "\x00memos-waiting\x00"


@lru_cache(maxsize=4096)
def _links(
    language: str,
    prefix: str,
    org: int | None,
    role: str,
    superuser: bool,
    supervisor: bool,
    staff: bool,
) -> str:
    """The menu's links for one kind of person, in the menu's order, with BADGE where the memo
    count goes: only these arguments choose them, so each kind's are built once per process
    (building them again took 0.3 ms of every page; bench/README.md, session 35)."""

    def url(name: str, org: int | None = None) -> str:
        return reverse(name, args=None if org is None else [org])

    items = [_item(url("home"), gettext("Dashboard"))]
    if superuser or supervisor:
        items.append(_item(url("reports:overview"), gettext("Overview")))
        items.append(_item(url("frameworks"), gettext("ITA frameworks")))
    items.append(_item(url("reports:batch_list"), gettext("Batch printing")))
    if org:
        items += [
            _item(url("measures:plan_list", org), gettext("Measures plans")),
            _item(url("measures:my_measures"), gettext("My measures")),
            _item(url("reports:document_index", org), gettext("Documents")),
            _item(url("reports:oit_current", org), pgettext("menu", "OIT"), id="nav-oit"),
            _item(url("reports:memo_inbox"), gettext("Memos"), extra=BADGE),
        ]
    if superuser or role in ("staff", "org_admin"):
        items.append(_item(url("assessments:scores_import"), gettext("Import results")))
    if role == "org_admin" and org:
        items += [
            _item(url("accounts:people", org), gettext("People")),
            _item(url("accounts:audit", org), pgettext("menu", "Audit trail")),
            _item(
                url("assessments:organisation_settings", org),
                gettext("Settings"),
                id="nav-settings",
            ),
        ]
    if staff:
        items.append(_item(url("admin:index"), gettext("Administration")))
    items.append(_item(url("help:index"), gettext("Help"), id="nav-help"))
    return "\n        ".join(items)


def menu_links(user: Any, waiting: object = "") -> str:
    """The menu's links for this person, with the number of memos waiting for them."""
    links = _links(
        get_language(),
        get_script_prefix(),
        user.organisation_id,
        user.role,
        user.is_superuser,
        user.is_supervisor,
        user.is_staff,
    )
    return links.replace(BADGE, _badge(waiting))


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> SafeString:
    """The links, then who is signed in: name (or username) and role."""
    user = context["user"]
    links = menu_links(user, context.get("memos_waiting", ""))
    name = escape(user.get_full_name() or user.username)
    role = escape(str(user.get_role_display()))
    return SafeString(
        f'<ul class="navbar-nav me-auto">\n        {links}\n      </ul>\n'
        f'      <span class="navbar-text me-3 small">{name} '
        f'<span class="badge text-bg-light">{role}</span></span>'
    )
