"""Plain text an administrator writes becomes headings, paragraphs and lists; HTML is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from putright.design.plain import Block, blocks, refuse_markup


def test_blank_lines_headings_and_dashes_make_the_blocks():
    text = "## About us\nWe are a landlord.\nWe own homes.\n\n- one\n- two\n\n- three\r\n\r\nThe end."
    assert blocks(text) == [
        Block("heading", ["About us"]),
        Block("paragraph", ["We are a landlord.", "We own homes."]),
        Block("list", ["one", "two"]),
        Block("list", ["three"]),  # a blank line starts a new list
        Block("paragraph", ["The end."]),
    ]


@pytest.mark.parametrize("text", ["<b>bold</b>", "a <script src=x>", "<!-- hidden -->", "< a href='x'>"])
def test_html_is_refused_with_how_to_write_instead(text):
    with pytest.raises(ValidationError, match="Write plain text without HTML tags"):
        refuse_markup(text)


@pytest.mark.parametrize("text", ["Rent < £100 and > £50", "5 < 6", "email: a@b.org"])
def test_a_less_than_sign_in_words_is_not_markup(text):
    refuse_markup(text)
