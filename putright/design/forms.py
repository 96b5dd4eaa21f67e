"""GOV.UK Design System markup for Django forms.

One renderer and one bound field give every form the pattern the Design
System asks for: a label, a hint, an error message above the control naming
what is wrong, the control marked as in error, and an error summary at the
top of the page linking to each field. Used by the staff workspace and the
public pages alike.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from putright.cases.errors import InvalidInput


class GovukRenderer(TemplatesSetting):
    form_template_name = "design/forms/form.html"
    field_template_name = "design/forms/field.html"


_CONTROL_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "radio": "govuk-radios__input",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = getattr(widget, "input_type", None) or type(widget).__name__.lower()
        control = _CONTROL_CLASSES.get(kind, "govuk-input")
        # Keep the widget's own classes (a width): the attrs made here would replace them.
        classes = [control, *str(widget.attrs.get("class", "")).split(), *str(attrs.get("class", "")).split()]
        described = [f"{self.auto_id}-hint"] if self.help_text else []
        if self.errors:
            described.append(f"{self.auto_id}-error")
            if control in _ERROR_CLASSES:
                classes.append(_ERROR_CLASSES[control])
        attrs["class"] = " ".join(dict.fromkeys(c for c in classes if c))
        if described and kind not in ("radio", "checkbox"):
            attrs["aria-describedby"] = " ".join(described)
        return attrs

    @property
    def is_choice_group(self) -> bool:
        """Radios and checkboxes: a fieldset with a legend, not a label."""
        return isinstance(self.field.widget, forms.RadioSelect)  # and CheckboxSelectMultiple


class GovukForm(forms.Form):
    """A form with the Design System's markup; errors are also listed at the top of the page."""

    bound_field_class = GovukBoundField
    default_renderer = GovukRenderer
    template_name = "design/forms/form.html"

    def refuse(self, error: InvalidInput) -> None:
        """Show a service's refusal beside the field it names, or at the top when none matches."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.detail if field else error.message)


class Radios(forms.RadioSelect):
    template_name = "design/forms/widgets/radios.html"
    option_template_name = "design/forms/widgets/radio_option.html"


class Checkboxes(forms.CheckboxSelectMultiple):
    template_name = "design/forms/widgets/checkboxes.html"
    option_template_name = "design/forms/widgets/checkbox_option.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "govuk-input--width-20", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


def text_area(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})
