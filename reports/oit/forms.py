"""The OIT checklist's forms: an item's entry, its evidence, and the office's estimate of the
other instruments. Every address goes through addresses.validate_public_url; every evidence file
through the portal's one rule for evidence files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments import ita
from assessments.forms import ThaiDecimalField
from assessments.models import Item
from itaportal import thai
from itaportal.forms import ThaiDateField, dates_in_digits
from measures.forms import evidence_file_checked
from measures.models import EVIDENCE_EXTENSIONS
from reports.oit.addresses import validate_public_url
from reports.oit.models import OitEntry, OitEvidence, OitStatus
from reports.oit.services import EntryData


class AddressField(forms.CharField):
    """A web address the checklist accepts (addresses.address_problem says why not)."""

    default_validators = [validate_public_url]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.URLInput(attrs={"placeholder": "https://"}))
        super().__init__(**kwargs)


def element_choices(item: Item) -> list[tuple[int, str]]:
    """The item's required elements, numbered from 1; an item that lists none is one element,
    the item as a whole."""
    return list(enumerate(item.element_list, start=1)) or [(1, str(_("The item as a whole")))]


class EntryForm(forms.Form):
    owner = forms.CharField(label=_("Responsible person"), max_length=200, required=False)
    due_on = ThaiDateField(label=_("Due date"), required=False)
    url = AddressField(label=_("Page on the main website"))
    navigation = forms.CharField(
        label=_("Navigation path"),
        max_length=300,
        required=False,
        help_text=_("e.g. หน้าหลัก > ข้อมูลหน่วยงาน > โครงสร้างองค์กร"),
    )
    elements = forms.TypedMultipleChoiceField(
        label=_("Elements in place"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=OitStatus.choices)
    public = forms.BooleanField(label=_("Show on the public page"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    itas_text = forms.CharField(
        label=_("Text for ITAS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty to use the portal's draft."),
    )

    def __init__(self, *args: Any, entry: OitEntry, thai_digits: bool = True, **kwargs: Any):
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "owner": entry.owner,
                "due_on": entry.due_on,
                "url": entry.url,
                "navigation": entry.navigation,
                "elements": entry.elements_done,
                "status": entry.status,
                "public": entry.public,
                "notes": entry.notes,
                "itas_text": entry.itas_text,
            }
        super().__init__(*args, **kwargs)
        dates_in_digits(self, thai_digits=thai_digits)
        self.fields["elements"].choices = element_choices(entry.item)  # type: ignore[attr-defined]

    @property
    def entry_data(self) -> EntryData:
        data = self.cleaned_data
        return EntryData(
            owner=data["owner"],
            due_on=data["due_on"],
            url=data["url"],
            navigation=data["navigation"],
            notes=data["notes"],
            status=data["status"],
            public=data["public"],
            elements_done=list(data["elements"]),
            itas_text=data["itas_text"],
        )


class EvidenceForm(forms.Form):
    element = forms.TypedChoiceField(label=_("Element"), coerce=int)
    title = forms.CharField(
        label=_("Title"),
        max_length=OitEvidence._meta.get_field("title").max_length,
        help_text=_("As the document names itself, with its year."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB."),
    )
    link = AddressField(label=_("or a link"))

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = element_choices(item) if item.element_list else []
        self.fields["element"].choices = [  # type: ignore[attr-defined]
            (0, _("The item as a whole")),
            *choices,
        ]
        self.fields["file"].widget.attrs["accept"] = ",".join(EVIDENCE_EXTENSIONS)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        return evidence_file_checked(upload) if upload else upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and bool(data.get("file")) == bool(data.get("link")):
            raise ValidationError(_("Attach a file or give a link (one of the two)."))
        return data


class EstimateForm(forms.Form):
    """The office's estimate of each instrument the checklist does not cover."""

    def __init__(
        self,
        *args: Any,
        instruments: list[ita.InstrumentRule],
        estimated: dict[str, str],
        assessed: dict[str, Decimal],
        thai_digits: bool = True,
        **kwargs: Any,
    ) -> None:
        """`estimated`: the office's estimate as stored; `assessed`: the last assessed year's
        scores, shown as a hint in each empty box."""
        super().__init__(*args, **kwargs)
        for instrument in instruments:
            code = instrument.code
            field = ThaiDecimalField(
                label=code,
                required=False,
                initial=thai.digits(estimated[code], thai_digits) if code in estimated else None,
            )
            if code in assessed:
                field.widget.attrs["placeholder"] = thai.number(assessed[code], thai_digits)
            self.fields[code] = field

    @property
    def scores(self) -> dict[str, Decimal | None]:
        return {code: self.cleaned_data.get(code) for code in self.fields}
