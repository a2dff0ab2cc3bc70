"""The explanation an office pastes into ITAS for each OIT item: where the evidence is on its
main website (the page, the menu path) and which documents it holds, with their fiscal years.
An office's own text (OitEntry.itas_text) replaces the draft."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from itaportal import thai
from reports.oit.models import OitEntry, OitEvidence


def itas_draft(
    entry: OitEntry, evidence: Iterable[OitEvidence], *, thai_digits: bool = True
) -> str:
    """The portal's draft: the page, the path and each document, one per line."""
    lines = []
    if entry.url:
        lines.append(_("The information is published at %(url)s") % {"url": entry.url})
    if entry.navigation:
        lines.append(
            _("Menu path: %(path)s") % {"path": thai.typed_digits(entry.navigation, thai_digits)}
        )
    documents = list(evidence)
    if documents:
        lines.append(_("Documents:"))
    for number, item in enumerate(documents, start=1):
        line = f"{thai.digits(number, thai_digits)}. {thai.typed_digits(item.title, thai_digits)}"
        if item.document_year:
            line += " " + _("(fiscal year %(year)s)") % {
                "year": thai.year_be(item.document_year, thai_digits)
            }
        if item.link:
            line += f" {item.link}"
        lines.append(line)
    if not lines:
        return ""
    return "\n".join(lines)


def itas_text(entry: OitEntry, evidence: Iterable[OitEvidence], *, thai_digits: bool = True) -> str:
    """What goes into ITAS: the office's own text, else the draft."""
    return entry.itas_text.strip() or itas_draft(entry, evidence, thai_digits=thai_digits)
