"""Forms of the documents: the analysis paragraphs, the committee order, the emblem."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from assessments.forms import OrganisationEmblemForm, PlanningYearField
from assessments.models import Organisation
from itaportal import thai
from itaportal.forms import ThaiDateField, dates_in_digits
from reports.documents.models import OVERALL, Committee, CommitteeMember, DocumentSection
from reports.documents.services import COMMITTEE_FIELDS, MEMBER_FIELDS, CommitteeData, MemberData


class AnalysisTextsForm(forms.Form):
    """The overall paragraph and one per indicator, prefilled with what is saved or drafted."""

    def __init__(
        self,
        *args: Any,
        texts: dict[int, str],
        names: dict[int, str],
        thai_digits: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for number in sorted(texts):
            label = (
                _("Overall")
                if number == OVERALL
                else f"{thai.digits(number, thai_digits)}. {names.get(number, '')}"
            )
            self.fields[f"text_{number}"] = forms.CharField(
                label=label,
                required=False,
                max_length=4000,
                initial=texts[number],
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @property
    def texts(self) -> dict[int, str]:
        """The paragraphs people changed. One left as drafted is not stored, so that its draft
        keeps following the figures when they change."""
        return {
            int(name.removeprefix("text_")): self.cleaned_data[name] for name in self.changed_data
        }


# As long as a memo's part: far beyond the seeds' longest section, well within a render.
SECTION_MAX_CHARS = 20000


class DocumentTextsForm(forms.Form):
    """The sections of a document people write (preface, rationale, …), prefilled with what is
    saved or drafted. Tables are typed as lines with tabs or " | " between the cells."""

    def __init__(self, *args: Any, texts: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section, text in texts.items():
            self.fields[section] = forms.CharField(
                label=DocumentSection(section).label,
                required=False,
                max_length=SECTION_MAX_CHARS,
                initial=text,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    @property
    def texts(self) -> dict[str, str]:
        """The sections people changed: one left as drafted is not stored, so that its draft
        keeps following the figures."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class CommitteeForm(forms.ModelForm):
    fiscal_year = PlanningYearField(label=_("Fiscal year (B.E.)"))
    issued_on = ThaiDateField(label=_("Ordered on"))

    class Meta:
        model = Committee
        fields = [
            "fiscal_year",
            "subject",
            "issued_on",
            "reasons",
            "duties_steering",
            "duties_working",
            "signer_rank",
            "signer_name",
            "signer_position",
        ]
        widgets = {
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "duties_steering": forms.Textarea(attrs={"rows": 4}),
            "duties_working": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, thai_digits: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dates_in_digits(self, thai_digits=thai_digits)

    @property
    def committee_data(self) -> CommitteeData:
        return CommitteeData(**{name: self.cleaned_data[name] for name in COMMITTEE_FIELDS})


MemberFormSet = inlineformset_factory(
    Committee,
    CommitteeMember,
    fields=list(MEMBER_FIELDS),
    widgets={
        "group": forms.Select(attrs={"class": "form-select form-select-sm"}),
        "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        "position": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        "role": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    },
    extra=3,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


def members_of(formset: forms.BaseInlineFormSet) -> list[MemberData]:
    """The members the formset holds, in order, without the rows marked for deletion."""
    return [
        MemberData(**{name: form.cleaned_data[name] for name in MEMBER_FIELDS})
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class EmblemForm(OrganisationEmblemForm):
    class Meta:
        model = Organisation
        fields = ["emblem"]
