"""The widgets made in Python give, byte for byte, the markup their templates give.

``putright.design.widgets`` replaces the template includes of the commonest
widgets (issue 16: they were most of the list's and the log form's time); a
page must not change because of it, so each kind is rendered both ways here,
with values that need escaping, safe labels, selected options, groups and
attributes that are True (named alone) or False (left out).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from putright.design import widgets
from putright.design.forms import Checkboxes, GovukForm, GovukRenderer, PythonWidgetsRenderer, Radios

NASTY = 'Smith & "Sons" <b>'
CHOICES = [
    ("", "Any"),
    ("a", NASTY),
    ("b<", mark_safe("<em>safe</em>")),
    (3, 3),
    (Decimal("1.5"), "one and a half"),
]
GROUPED = [("", "Any"), ("North & East", [("n1", "N 1"), ("n2", "N 2")]), ("South", [("s1", "S 1")])]


class Kinds(GovukForm):
    text = forms.CharField(help_text="A hint", max_length=10)
    empty = forms.CharField(required=False)
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "x": False}))
    story = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    blank_story = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    radios = forms.ChoiceField(choices=CHOICES[1:], widget=Radios(attrs={"small": True}))
    plain_radios = forms.ChoiceField(choices=CHOICES[1:], widget=Radios, required=False)
    boxes = forms.MultipleChoiceField(choices=CHOICES[1:], widget=Checkboxes, required=False)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    received = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


DATA = {
    "text": NASTY,
    "email": "a@b.org",
    "number": "1200",
    "secret": "<p>",
    "hidden": '"quoted"',
    "search": "x' onload='y",
    "story": "line one\n<script>",
    "agree": "on",
    "choice": "b<",
    "grouped": "n2",
    "many": ["a", "3"],
    "radios": "a",
    "boxes": ["a", "1.5"],
    "when": "2026-12-07",
}


def _both(form: forms.Form) -> list[tuple[str, str, str]]:
    made = []
    for field in form:
        python = field.as_widget()
        form.renderer = TemplatesSetting()
        templated = field.as_widget()
        form.renderer = GovukRenderer()
        made.append((field.name, python, templated))
    return made


@pytest.mark.parametrize("bound", [False, True], ids=["new", "answered"])
def test_each_widget_made_in_python_is_the_templates_markup(bound):
    form = Kinds(
        DATA if bound else None,
        initial={"when": dt.date(2026, 1, 2), "received": dt.datetime(2026, 1, 2, 3, 4), "many": ["b<"]},
    )
    if bound:
        form.is_valid()  # errors too: the controls are marked in error
    for name, python, templated in _both(form):
        assert python == templated, name


def test_the_widgets_are_made_in_python_not_by_their_templates():
    """Without the Python rendering the renderer would fall back to the (slow) template includes."""
    form = Kinds()
    context = form["choice"].field.widget.get_context("choice", "a", {"id": "id_choice"})
    assert widgets.render("django/forms/widgets/select.html", context, lambda *a: "") is not None
    assert widgets.render("design/forms/widgets/date_parts.html", {}, lambda *a: "") is None
    assert isinstance(form.renderer, PythonWidgetsRenderer)
    assert 'value="b&lt;"' in str(form["choice"])


def test_a_whole_form_renders_the_same_both_ways():
    python = str(Kinds(DATA))
    form = Kinds(DATA)
    form.renderer = type("Templated", (TemplatesSetting,), {"form_template_name": "design/forms/form.html"})()
    form.renderer.field_template_name = "design/forms/field.html"
    assert python == str(form)
