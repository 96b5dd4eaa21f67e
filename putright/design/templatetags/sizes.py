"""``{% load sizes %}``: file sizes in the public pages' words (see ``putright.design.sizes``)."""

from __future__ import annotations

from django import template

from putright.design.sizes import size_words, upload_limit_words

register = template.Library()


@register.filter(name="size_words")
def size_words_filter(size: int) -> str:
    """ "2.5 MB", "340 KB": the same words as the limits are said in."""
    return size_words(int(size))


@register.simple_tag
def upload_limit() -> str:
    """The largest file a customer can send, e.g. "10 MB"."""
    return upload_limit_words()
