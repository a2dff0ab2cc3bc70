"""Loading the shipped ITA frameworks (fixtures/ita_frameworks.json) and the crosswalk of their
OIT items (fixtures/oit_crosswalk.json) into the database.

Used by the data migrations with historical models, by tests whose database is flushed, and by
tests that load a framework of their own from another file of the same shape.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ita_frameworks.json"
CROSSWALK = Path(__file__).resolve().parent.parent / "fixtures" / "oit_crosswalk.json"
# What the OIT checklist reads of an item; an item already loaded gets those the file names and
# the database leaves empty (an edit made in the admin is kept).
CHECKLIST_FIELDS = ("elements", "evidence_year", "file_types", "portal_documents")


class FrameworkDataError(ValueError):
    """The shipped data contradicts itself (a crosswalk row naming an item no framework has):
    the message, in Thai, names every such row; nothing was loaded."""


def frameworks_load(apps: Any, path: Path = FIXTURE, crosswalk: Path = CROSSWALK) -> int:
    """Create every framework of the file that is not there yet, and complete the ones that are
    (a framework is known by its first year): parts, items, bands and floors it lacks are added,
    nothing already there is changed but its last year, kinds and the note of what is
    uncertain, so edits made in the admin survive. Then add the crosswalk rows that are missing.
    All or nothing: a bad crosswalk row raises FrameworkDataError and nothing is loaded.
    Returns how many frameworks were made."""
    with transaction.atomic():
        created = _frameworks_load(apps, path)
        _crosswalk_load(apps, crosswalk)
    return created


def _frameworks_load(apps: Any, path: Path) -> int:
    Framework = apps.get_model("assessments", "Framework")
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    for fw in data["frameworks"]:
        framework = Framework.objects.filter(first_year=fw["first_year"]).first()
        if framework is None:
            framework = Framework.objects.create(
                name=fw["name"],
                first_year=fw["first_year"],
                last_year=fw["last_year"],
                kinds=fw.get("kinds", ""),
                uncertain=fw.get("uncertain", ""),
                discrepancy_tolerance=Decimal(fw["discrepancy_tolerance"]),
                default_maintain_from=Decimal(fw["default_maintain_from"]),
                default_raise_from=Decimal(fw["default_raise_from"]),
                default_target=Decimal(fw["default_target"]),
            )
            created += 1
        else:
            framework.name = fw["name"]
            framework.last_year = fw["last_year"]
            framework.kinds = fw.get("kinds", "")
            framework.uncertain = fw.get("uncertain", "")
            framework.save(update_fields=["name", "last_year", "kinds", "uncertain"])
        _complete(apps, framework, fw)
    return created


def _complete(apps: Any, framework: Any, fw: dict[str, Any]) -> None:
    Instrument = apps.get_model("assessments", "Instrument")
    Indicator = apps.get_model("assessments", "Indicator")
    InstrumentPart = apps.get_model("assessments", "InstrumentPart")
    Item = apps.get_model("assessments", "Item")
    LevelBand = apps.get_model("assessments", "LevelBand")
    # Migrations before 0009 load with instruments that have no rule for items yet.
    has_rule = any(f.name == "score_from_items" for f in Instrument._meta.get_fields())
    item_fields = {f.name for f in Item._meta.get_fields()}
    checklist_fields = [name for name in CHECKLIST_FIELDS if name in item_fields]
    for inst in fw["instruments"]:
        rule = {"score_from_items": inst.get("score_from_items", "")} if has_rule else {}
        instrument, _new = Instrument.objects.get_or_create(
            framework=framework,
            code=inst["code"],
            defaults={
                "name_th": inst["name_th"],
                "name_en": inst["name_en"],
                "weight": Decimal(inst["weight"]),
                "order": inst["order"],
                "all_or_nothing": inst.get("all_or_nothing", False),
                **rule,
            },
        )
        if inst.get("all_or_nothing") and not instrument.all_or_nothing:
            instrument.all_or_nothing = True
            instrument.save(update_fields=["all_or_nothing"])
        if rule.get("score_from_items") and not instrument.score_from_items:
            instrument.score_from_items = inst["score_from_items"]
            instrument.save(update_fields=["score_from_items"])
        for part in inst.get("parts", []):
            InstrumentPart.objects.get_or_create(
                instrument=instrument, number=part["number"], defaults={"name_th": part["name_th"]}
            )
        for ind in inst["indicators"]:
            indicator, _new = Indicator.objects.get_or_create(
                instrument=instrument,
                number=ind["number"],
                defaults={"name_th": ind["name_th"], "name_en": ind["name_en"]},
            )
            existing = {
                item.code: item
                for item in Item.objects.filter(indicator__instrument__framework=framework)
            }
            Item.objects.bulk_create(
                Item(
                    indicator=indicator,
                    code=item["code"],
                    title=item.get("title", ""),
                    order=item.get("order", 0),
                    uncertain=item.get("uncertain", ""),
                    **{name: item.get(name, "") for name in checklist_fields},
                )
                for item in ind.get("items", [])
                if item["code"] not in existing
            )
            for item in ind.get("items", []):
                if item["code"] in existing:
                    _fill_blanks(existing[item["code"]], item, checklist_fields)
    bands = {band.code: band for band in LevelBand.objects.filter(framework=framework)}
    for band in fw["bands"]:
        if band["code"] not in bands:
            # A label that was a band of its own before (ไม่ผ่าน) becomes another's alias.
            for old in list(bands.values()):
                if old.code in {a.strip() for a in band["aliases"].split(",")}:
                    old.delete()
                    del bands[old.code]
            LevelBand.objects.create(
                framework=framework,
                code=band["code"],
                min_score=Decimal(band["min_score"]),
                passing=band["passing"],
                aliases=band["aliases"],
                floors=band.get("floors", ""),
                uncertain=band.get("uncertain", ""),
            )
        elif band.get("floors") and not bands[band["code"]].floors:
            existing = bands[band["code"]]
            existing.floors = band["floors"]
            existing.uncertain = band.get("uncertain", "")
            existing.save(update_fields=["floors", "uncertain"])


def _crosswalk_load(apps: Any, path: Path) -> None:
    """Add the crosswalk rows of the file that are missing (edits and deletions made in the admin
    since stay as they are only for rows the file does not name)."""
    try:
        ItemCrosswalk = apps.get_model("assessments", "ItemCrosswalk")
    except LookupError:  # migrations before the crosswalk existed
        return
    if not any(f.name == "uncertain" for f in ItemCrosswalk._meta.get_fields()):
        return
    Item = apps.get_model("assessments", "Item")
    data = json.loads(path.read_text(encoding="utf-8"))
    items: dict[tuple[int, str], Any] = {
        (item.indicator.instrument.framework.first_year, item.code): item
        for item in Item.objects.select_related("indicator__instrument__framework")
    }
    wanted: list[tuple[Any, Any, str]] = []
    missing: list[str] = []
    for link in data["links"]:
        if link.get("same_codes"):
            for (year, code), item in items.items():
                if year == link["from"] and item.indicator.instrument.code == link["same_codes"]:
                    successor = items.get((link["to"], code))
                    if successor is None:
                        missing.append(_missing(link["to"], code))
                    else:
                        wanted.append((item, successor, link.get("uncertain", "")))
        for row in link.get("rows", []):
            item = items.get((link["from"], row["item"]))
            successor = items.get((link["to"], row["successor"]))
            if item is None:
                missing.append(_missing(link["from"], row["item"]))
            if successor is None:
                missing.append(_missing(link["to"], row["successor"]))
            if item is not None and successor is not None:
                wanted.append((item, successor, row.get("uncertain", "")))
    if missing:
        with translation.override(settings.LANGUAGE_CODE):
            raise FrameworkDataError(
                _("The crosswalk names items no framework has, so nothing was loaded: %(items)s.")
                % {"items": ", ".join(missing)}
            )
    there = set(ItemCrosswalk.objects.values_list("item_id", "successor_id"))
    ItemCrosswalk.objects.bulk_create(
        ItemCrosswalk(item=item, successor=successor, uncertain=uncertain)
        for item, successor, uncertain in wanted
        if (item.pk, successor.pk) not in there
    )


def _missing(year: int, code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("item %(code)s of the framework of fiscal year %(year)s") % {
            "code": code,
            "year": year,
        }


def _fill_blanks(item: Any, data: dict[str, Any], names: list[str]) -> None:
    blank = [name for name in names if data.get(name) and not getattr(item, name)]
    for name in blank:
        setattr(item, name, data[name])
    if blank:
        item.save(update_fields=blank)
