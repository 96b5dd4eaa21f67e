"""GOV.UK Design System markup for Django forms.

One renderer and one bound field give every form the pattern the Design
System asks for: a label, a hint, an error message above the control naming
what is wrong, the control marked as in error, and an error summary at the
top of the page linking to each field. Used by the staff workspace and the
public pages alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import mark_safe

from putright.cases.errors import InvalidInput
from putright.design import widgets


class PythonWidgetsRenderer(TemplatesSetting):
    """The project's templates, with the commonest widgets made in Python (``putright.design.widgets``
    says why); the form renderer of every form."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        def include(name: str, inner: Mapping[str, Any]) -> str:
            # An include inside a widget is not stripped; the widget's whole markup is, as Django does.
            template: Any = self.get_template(name)
            return str(template.render(dict(inner), request=request))

        made = widgets.render(template_name, context, include)
        if made is None:
            return super().render(template_name, context, request)
        # Every value in it was escaped as it was put in (putright.design.widgets), as a template does.
        return mark_safe(made.strip())  # nosec B308 B703 (escaped as made) # noqa: S308


class GovukRenderer(PythonWidgetsRenderer):
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
        if isinstance(widget, DateParts) and self.errors:
            attrs["data-wrong"] = " ".join(self.wrong_parts)
        return attrs

    @property
    def is_choice_group(self) -> bool:
        """Radios and checkboxes: a fieldset with a legend, not a label."""
        return isinstance(self.field.widget, forms.RadioSelect)  # and CheckboxSelectMultiple

    @property
    def is_date_parts(self) -> bool:
        """A date as day, month and year: a fieldset with a legend, each part with its own label."""
        return isinstance(self.field.widget, DateParts)

    @property
    def wrong_parts(self) -> tuple[str, ...]:
        """The parts of a date marked in error: those at fault, or all three when the whole date is."""
        if not self.errors:
            return ()
        return DateProblem.of(self.value()).parts or PARTS

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the answer's first control (of a date, its first wrong part)."""
        if self.is_choice_group:
            return f"{self.auto_id}_0"
        if self.is_date_parts:
            return f"{self.auto_id}-{self.wrong_parts[0] if self.errors else PARTS[0]}"
        return str(self.auto_id)


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


class Typed(NamedTuple):
    """A date as the person typed it, part by part."""

    day: str = ""
    month: str = ""
    year: str = ""


PARTS = Typed._fields
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


class DateProblem(Exception):
    """What is wrong with a typed date (``kind``: missing, year or unreal) and which parts are wrong."""

    def __init__(self, kind: str, parts: tuple[str, ...]) -> None:
        super().__init__(kind)
        self.kind, self.parts = kind, parts

    @classmethod
    def of(cls, typed: Any) -> DateProblem:
        """The problem of a typed date (no kind and no parts when there is none)."""
        try:
            read_date(typed if isinstance(typed, Typed) else Typed())
        except DateProblem as problem:
            return problem
        return cls("", ())


def _month(text: str) -> int | None:
    """A month as a number, or as its name or the start of it, three letters or more ("Jan", "sept")."""
    if text.isdigit():
        return int(text)
    word = text.lower()
    found = [n for n, name in enumerate(_MONTHS, 1) if len(word) >= 3 and name.startswith(word)]
    return found[0] if len(found) == 1 else None


def read_date(typed: Typed) -> dt.date | None:
    """The date typed in three boxes, or None for none; a ``DateProblem`` says what is wrong.

    The Design System's order: a missing part first, then a year without four
    numbers, then a date that does not exist (a 13th month, 31 February).
    """
    parts = Typed(*(part.strip() for part in typed))
    if not any(parts):
        return None
    missing = tuple(name for name, part in zip(PARTS, parts, strict=True) if not part)
    if missing:
        raise DateProblem("missing", missing)
    if not (parts.year.isdigit() and len(parts.year) == 4):
        raise DateProblem("year", ("year",))
    day, month = (int(parts.day) if parts.day.isdigit() else None), _month(parts.month)
    wrong = tuple(
        name
        for name, number, top in (("day", day, 31), ("month", month, 12))
        if number is None or not 1 <= number <= top
    )
    if wrong:
        raise DateProblem("unreal", wrong)
    assert day is not None and month is not None
    try:
        return dt.date(int(parts.year), month, day)
    except ValueError:
        raise DateProblem("unreal", ("day",)) from None


class DateParts(forms.Widget):
    """The Design System's date input: day, month and year boxes (a browser's date picker is hard
    to use for a date years ago). Its value is a ``Typed``; a date or ISO text is shown in parts."""

    template_name = "design/forms/widgets/date_parts.html"
    WIDTHS = {"day": 2, "month": 2, "year": 4}

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Typed:
        return Typed(*(str(data.get(f"{name}-{part}", "")) for part in PARTS))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in PARTS)

    def format_value(self, value: Any) -> Typed:  # type: ignore[override]
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return Typed()
        if isinstance(value, dt.date):
            return Typed(str(value.day), str(value.month), str(value.year))
        return value if isinstance(value, Typed) else Typed()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        wrong = str(widget["attrs"].pop("data-wrong", "")).split()
        widget["parts"] = [
            {
                "name": f"{name}-{part}",
                "id": f"{widget['attrs'].get('id', name)}-{part}",
                "label": part.capitalize(),
                "width": self.WIDTHS[part],
                "value": typed,
                "wrong": part in wrong,
            }
            for part, typed in zip(PARTS, widget["value"], strict=True)
        ]
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day"


class DateField(forms.Field):
    """A date typed in three boxes, with the Design System's messages, each naming the answer.

    ``subject`` names it in the messages ("The date it happened must be a real
    date"); ``latest`` (today, unless given) refuses a later date, None allows
    any. Its cleaned value is a ``datetime.date``.
    """

    widget = DateParts

    def __init__(
        self,
        *,
        subject: str,
        latest: Callable[[], dt.date] | None = timezone.localdate,
        **kwargs: Any,
    ) -> None:
        self.subject, self.latest = subject, latest
        kwargs["error_messages"] = {
            "required": f"Enter {subject[0].lower()}{subject[1:]}",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    @property
    def example(self) -> str:
        """The hint's example, in the past when only a past date is allowed ("For example, 27 3 2025")."""
        year = timezone.localdate().year - (1 if self.latest else 0)
        return f"For example, 27 3 {year}"

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date) or value is None:
            return value
        try:
            return read_date(value if isinstance(value, Typed) else Typed())
        except DateProblem as problem:
            raise forms.ValidationError(self._message(problem), code=problem.kind) from None

    def _message(self, problem: DateProblem) -> str:
        if problem.kind == "missing":
            return f"{self.subject} must include a {' and '.join(problem.parts)}"
        if problem.kind == "year":
            return "Year must include 4 numbers"
        return f"{self.subject} must be a real date"

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and self.latest is not None and value > self.latest():
            raise forms.ValidationError(f"{self.subject} must be today or in the past", code="future")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (
                self.to_python(DateParts().format_value(initial)) if initial else None
            )
        except forms.ValidationError:
            return True


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
