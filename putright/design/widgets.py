"""The commonest form widgets rendered in Python, to the byte as their templates render them.

Why: Django renders every ``<option>``, radio and checkbox through a template
``{% include %}`` of its own, each including ``attrs.html`` again, and each
include looks its template up afresh (a widget is rendered on its own, so the
template engine's per-render cache does not carry from one to the next). The
list's filters have some 470 options (300 of them the staff an owner can be),
the log form some 60 controls: at 100,000 complaints these includes, not the
database, were most of those pages' time (issue 16; BENCHMARKS.md). The markup
is the templates' own (``django/forms/widgets/*.html`` and ours in
``design/forms/widgets``), byte for byte, which ``tests/design/test_widgets.py``
checks against the templates themselves; any other template is rendered as
before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

#: Renders a template by name with a context (the widgets' includes).
Render = Callable[[str, Mapping[str, Any]], str]

#: How ``{{ value }}`` is shown: localised (a number, a date) and escaped, as in a template.
_CONTEXT = Context(autoescape=True)


def text(value: Any) -> str:
    """``{{ value }}``."""
    return str(render_value_in_context(value, _CONTEXT))


def formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: as text, escaped unless it was safe already."""
    shown = "%s" % (value,)  # noqa: UP031 - exactly what the filter does
    return shown if isinstance(value, SafeData) else str(conditional_escape(shown))


def attrs(widget: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: True names the attribute alone; False leaves it out."""
    out = []
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        out.append(f" {text(name)}" if value is True else f' {text(name)}="{formatted(value)}"')
    return "".join(out)


def _input(widget: Mapping[str, Any]) -> str:
    """``django/forms/widgets/input.html``, without its last line break."""
    value = f' value="{formatted(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{value}{attrs(widget)}>'


def _select(context: Mapping[str, Any], render: Render) -> str:
    widget = context["widget"]
    out = [f'<select name="{text(widget["name"])}"{attrs(widget)}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{text(group_name)}">')
        for option in options:
            out.append("\n  ")
            out.append(render(option["template_name"], {**context, "widget": option}))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _select_option(context: Mapping[str, Any], render: Any) -> str:
    option = context["widget"]
    return f'<option value="{formatted(option["value"])}"{attrs(option)}>{text(option["label"])}</option>\n'


def _input_widget(context: Mapping[str, Any], render: Any) -> str:
    """``input.html`` itself: the tag and a line break."""
    return _input(context["widget"]) + "\n"


def _input_included(context: Mapping[str, Any], render: Any) -> str:
    """``text.html``, ``email.html``, …: ``input.html`` included, then their own line break."""
    return _input(context["widget"]) + "\n\n"


def _textarea(context: Mapping[str, Any], render: Any) -> str:
    widget = context["widget"]
    value = text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{text(widget["name"])}"{attrs(widget)}>\n{value}</textarea>\n'


def _choices(opening: Callable[[Mapping[str, Any]], str]) -> Callable[[Mapping[str, Any], Render], str]:
    """``design/forms/widgets/radios.html`` and ``checkboxes.html``: the options in a ``div``."""

    def choices(context: Mapping[str, Any], render: Render) -> str:
        widget = context["widget"]
        out = [opening(widget)]
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                out.append(render(option["template_name"], {**context, "widget": option}))
        out.append("</div>\n")
        return "".join(out)

    return choices


def _radios_opening(widget: Mapping[str, Any]) -> str:
    small = " govuk-radios--small" if widget["attrs"].get("small") else ""
    return f'<div class="govuk-radios{small}" data-module="govuk-radios">'


def _option(kind: str) -> Callable[[Mapping[str, Any], Any], str]:
    """``design/forms/widgets/radio_option.html`` and ``checkbox_option.html``."""

    def option(context: Mapping[str, Any], render: Any) -> str:
        widget = context["widget"]
        return (
            f'<div class="govuk-{kind}__item">{_input(widget)}'
            f'<label class="govuk-label govuk-{kind}__label" for="{text(widget["attrs"].get("id", ""))}">'
            f"{text(widget['label'])}</label></div>\n"
        )

    return option


#: Template name -> how to render it from the widget's context (and a way to render the others).
RENDERERS: dict[str, Callable[[Mapping[str, Any], Render], str]] = {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/select_option.html": _select_option,
    "django/forms/widgets/input.html": _input_widget,
    **{
        f"django/forms/widgets/{kind}.html": _input_included
        for kind in (
            "text",
            "email",
            "number",
            "hidden",
            "password",
            "url",
            "search",
            "tel",
            "checkbox",
            "date",
            "datetime",
            "time",
        )
    },
    "django/forms/widgets/textarea.html": _textarea,
    "design/forms/widgets/radios.html": _choices(_radios_opening),
    "design/forms/widgets/radio_option.html": _option("radios"),
    "design/forms/widgets/checkboxes.html": _choices(
        lambda widget: '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
    ),
    "design/forms/widgets/checkbox_option.html": _option("checkboxes"),
}


def render(template_name: str, context: Mapping[str, Any], fallback: Render) -> str | None:
    """The widget's markup made in Python, or None when its template has no Python rendering."""
    made = RENDERERS.get(template_name)
    if made is None:
        return None

    def inner(name: str, inner_context: Mapping[str, Any]) -> str:
        done = render(name, inner_context, fallback)
        return done if done is not None else fallback(name, inner_context)

    return made(context, inner)
