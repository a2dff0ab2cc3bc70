"""What the export commands share: the filters of ../shared/domain/INTERFACES.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.db.models import QuerySet


def add_export_arguments(parser: CommandParser) -> None:
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--org-name")
    parser.add_argument("--province")
    parser.add_argument("--year", type=int)


def filter_by_organisation(queryset: QuerySet[Any], options: dict[str, Any]) -> QuerySet[Any]:
    """Apply --org-name and --province to a queryset of rows with an `organisation`."""
    if options["org_name"]:
        queryset = queryset.filter(organisation__name=options["org_name"])
    if options["province"]:
        queryset = queryset.filter(organisation__province=options["province"])
    return queryset
