"""itaportal/templatetags/fields.py: the score form's and the overview's fields as Bootstrap 5
draws them, without crispy-forms: what a person sees and what the browser posts."""

from __future__ import annotations

from django import forms
from django.template import Context, Template


class Sample(forms.Form):
    score = forms.DecimalField(label="คะแนน <ต่ำสุด>", help_text="๐ ถึง ๑๐๐")
    kind = forms.ChoiceField(label="ประเภท", choices=[("", "ทั้งหมด"), ("sao", "อบต.")])
    urgent = forms.BooleanField(label="เร่งด่วน", required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)


def draw(form: forms.Form, name: str) -> str:
    return Template("{% load fields %}{% form_field field %}").render(
        Context({"field": form[name]})
    )


def test_a_text_box_keeps_its_value_label_errors_and_help_escaped() -> None:
    form = Sample({"score": "เก้าสิบ", "kind": "sao"})
    form.is_valid()
    html = draw(form, "score")
    assert '<label for="id_score" class="form-label">คะแนน &lt;ต่ำสุด&gt;<span' in html
    assert '<input type="number" name="score" value="เก้าสิบ"' in html  # what was typed, kept
    assert 'class="form-control is-invalid"' in html and 'aria-invalid="true"' in html
    assert '<div id="id_score_error" class="invalid-feedback"><span id="error_1_id_score">' in html
    assert 'aria-describedby="id_score_error"' in html
    assert 'id="id_score_helptext" class="form-text">๐ ถึง ๑๐๐<' in html


def test_a_drop_down_selects_the_posted_choice_and_a_tick_box_stays_ticked() -> None:
    form = Sample({"score": "1", "kind": "sao", "urgent": "on"})
    select = draw(form, "kind")
    assert '<option value="sao" selected>อบต.</option>' in select
    assert '<option value="">ทั้งหมด</option>' in select
    assert 'class="form-select"' in select
    tick = draw(form, "urgent")
    assert 'type="checkbox" name="urgent"' in tick and " checked" in tick
    assert "checked" not in draw(Sample({"score": "1"}), "urgent")


def test_a_hidden_field_is_only_its_input() -> None:
    html = draw(Sample(initial={"version": "2026-01-01T00:00:00"}), "version")
    assert html.startswith('<input type="hidden" name="version" value="2026-01-01T00:00:00"')
    assert "<label" not in html


def test_what_someone_typed_cannot_break_out_of_the_box() -> None:
    form = Sample({"score": '"><script>alert(1)</script>', "kind": "sao"})
    html = draw(form, "score")
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
