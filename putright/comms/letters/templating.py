"""Render the words administrators write, safely.

Templates are edited in the workspace, so they are untrusted text. They are
rendered by a dedicated Django template ``Engine``: no template files, no app
tag libraries, no autoescaping (a letter is plain text; the PDF and the HTML
email escape it later), and only a few harmless tags. They are rendered only
against plain values (strings, and lists of dicts of strings) built by
``letter_context``, never model instances, so no placeholder can reach the
database or call a method such as ``complaint.delete``.

A placeholder the letter does not offer is refused before saving, with the
names it may use, rather than printed as an empty gap in a customer's letter.

Nor can a template exhaust the server: only a few filters that shape words
are allowed (not ``ljust:"50000000"``, which would fill memory), the source
and the rendered letter have a maximum length, and rendering stops as soon
as the letter grows past it or takes too many steps (loops inside loops),
rather than after the damage is done.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList, TextNode, VariableNode
from django.template.defaulttags import CommentNode, ForNode, IfNode
from django.template.smartif import Literal, TokenBase

from putright.cases.errors import InvalidInput

#: Printed for a lookup that fails at render time; its presence in the result refuses the letter.
_MISSING = "\x00missing:%s\x00"
_MISSING_FOUND = re.compile("\x00missing:(.*?)\x00")

#: The tags a letter may use: choices and lists. Anything else (include, load, url...) is refused.
ALLOWED_TAGS = "if, elif, else, for, empty, comment"
_ALLOWED_NODES = (TextNode, VariableNode, IfNode, ForNode, CommentNode)

#: The filters a letter may use: they shape words and lists, and none can make a long text from a short one.
ALLOWED_FILTERS = frozenset(
    {
        "capfirst",
        "default",
        "default_if_none",
        "first",
        "join",
        "last",
        "length",
        "lower",
        "pluralize",
        "title",
        "upper",
        "yesno",
    }
)

#: The longest template (subject or body) an administrator may write, in characters.
MAX_SOURCE = 20_000
#: The longest text a template may render to, in characters.
MAX_RENDERED = 50_000
#: The most nodes drawn and loop turns in one rendering (a loop inside a loop multiplies them).
MAX_STEPS = 20_000

#: A line holding only a block tag disappears with its line break, so loops make tidy lists.
_TAG_LINE = re.compile(r"^[ \t]*(\{%(?:(?!%\}).)*%\})[ \t]*\n", re.MULTILINE)

ENGINE = Engine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    autoescape=False,
    string_if_invalid=_MISSING,
    debug=False,
)


def render(text: str, context: Mapping[str, Any], *, field: str) -> str:
    """``text`` rendered against ``context`` (plain values only), tidied into paragraphs."""
    template = _compile(text, set(context), field=field)
    _count(template.nodelist, _Budget(field))
    rendered = template.render(Context(dict(context), autoescape=False))
    missing = _MISSING_FOUND.search(rendered)
    if missing:
        raise InvalidInput(field, f"{{{{ {missing.group(1)} }}}} is not something this letter can fill in")
    return tidy(rendered)


def tidy(text: str) -> str:
    """Trailing spaces gone, at most one blank line between paragraphs, no blank start or end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _Budget:
    """What one rendering may still produce: refused the moment it is spent, not after."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.chars = 0
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise InvalidInput(
                self.field,
                f"the template takes more than {MAX_STEPS:,} steps to fill in: "
                "use fewer loops, and no loop inside another",
            )

    def add(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > MAX_RENDERED:
            raise InvalidInput(
                self.field,
                f"the letter would be longer than {MAX_RENDERED:,} characters: shorten the template",
            )


class _Tick(Node):
    """Counts a loop's turn, even a turn that draws nothing."""

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget

    def render(self, context: Context) -> str:
        self.budget.step()
        return ""


def _count(nodes: NodeList | list[Any], budget: _Budget) -> None:
    """Make every node of a freshly compiled template spend ``budget`` as it is drawn."""
    for node in nodes:
        draw = node.render_annotated
        leaf = isinstance(node, TextNode | VariableNode)

        def counted(context: Context, draw: Any = draw, leaf: bool = leaf) -> str:
            budget.step()
            text: str = draw(context)
            if leaf:
                budget.add(text)
            return text

        node.render_annotated = counted  # type: ignore[method-assign]  # this template only
        if isinstance(node, IfNode):
            for _, nodelist in node.conditions_nodelists:
                _count(nodelist, budget)
        elif isinstance(node, ForNode):
            _count(node.nodelist_loop, budget)
            _count(node.nodelist_empty, budget)
            node.nodelist_loop.insert(0, _Tick(budget))  # type: ignore[arg-type]  # a node, not text


def _compile(text: str, names: set[str], *, field: str) -> Any:
    if len(text) > MAX_SOURCE:
        raise InvalidInput(
            field, f"the template is {len(text):,} characters: it may be at most {MAX_SOURCE:,}"
        )
    source = _TAG_LINE.sub(r"\1", text.replace("\r\n", "\n"))
    try:
        template = ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise InvalidInput(field, f"the template cannot be read: {error}") from None
    _check_nodes(template.nodelist, names, field=field)
    return template


def _check_nodes(nodes: NodeList | list[Any], names: set[str], *, field: str) -> None:
    for node in nodes:
        if not isinstance(node, _ALLOWED_NODES):
            tag = getattr(node, "token", None)
            shown = tag.contents.split()[0] if tag is not None and tag.contents else type(node).__name__
            raise InvalidInput(field, f"the tag {{% {shown} %}} is not allowed; use only {ALLOWED_TAGS}")
        _check_node(node, names, field=field)


def _check_node(node: Any, names: set[str], *, field: str) -> None:
    if isinstance(node, TextNode) and ("{{" in node.s or "{%" in node.s):
        raise InvalidInput(field, "a placeholder or tag is not closed: end {{ with }} and {% with %}")
    if isinstance(node, VariableNode):
        _check_expression(node.filter_expression, names, field=field)
    elif isinstance(node, IfNode):
        for condition, nodelist in node.conditions_nodelists:
            if condition is not None:
                _check_condition(condition, names, field=field)
            _check_nodes(nodelist, names, field=field)
    elif isinstance(node, ForNode):
        if len(node.loopvars) != 1:
            raise InvalidInput(field, "a loop takes one name for each item, e.g. {% for point in points %}")
        if isinstance(node.sequence, FilterExpression):
            _check_expression(node.sequence, names, field=field)
        _check_nodes(node.nodelist_loop, names | set(node.loopvars) | {"forloop"}, field=field)
        _check_nodes(node.nodelist_empty, names, field=field)


def _check_condition(condition: TokenBase, names: set[str], *, field: str) -> None:
    if isinstance(condition, Literal):
        value = condition.value
        if isinstance(value, FilterExpression):
            _check_expression(value, names, field=field)
        return
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if isinstance(part, TokenBase):
            _check_condition(part, names, field=field)


def _check_expression(expression: FilterExpression, names: set[str], *, field: str) -> None:
    for function, _ in expression.filters:
        name = getattr(function, "_filter_name", getattr(function, "__name__", "?"))
        if name not in ALLOWED_FILTERS:
            raise InvalidInput(
                field, f"the filter |{name} is not allowed; use only {', '.join(sorted(ALLOWED_FILTERS))}"
            )
    variables = [expression.var, *(arg for _, args in expression.filters for lookup, arg in args if lookup)]
    for variable in variables:
        lookups = getattr(variable, "lookups", None)
        if lookups and lookups[0] not in names:
            shown = ".".join(lookups)
            offered = ", ".join(sorted(n for n in names if n != "forloop"))
            raise InvalidInput(
                field, f"{{{{ {shown} }}}} is not a placeholder this letter offers; use one of: {offered}"
            )
