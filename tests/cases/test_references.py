"""Complaint references: read out over the phone, typed back however the customer types them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from putright.cases.references import ALPHABET, new_reference, normalise


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("PR-7K3M9Q", "PR-7K3M9Q"),
        ("pr 7k3m9q", "PR-7K3M9Q"),
        ("  pr-7k3 m9q ", "PR-7K3M9Q"),
        ("7K3M9Q", "PR-7K3M9Q"),
        # Letters that are not in the alphabet read as the digits they look like.
        ("PR-7K3MOQ", "PR-7K3M0Q"),
        ("pr-i2l4o6", "PR-121406"),
        ("PR-UUUUUU", "PR-VVVVVV"),
        # A code that itself starts with "PR", typed without the prefix.
        ("PR4K2M", "PR-PR4K2M"),
        ("PR-PR4K2M", "PR-PR4K2M"),
    ],
)
def test_a_typed_reference_is_understood(typed, meant):
    assert normalise(typed) == meant


@pytest.mark.parametrize(
    "junk",
    ["", "PR-", "PR-7K3M9", "PR-7K3M9QX", "PR-7K3M9!", "hello world", "PR_7K3M9Q", "PR-7K3M9Q-1"],
)
def test_something_that_cannot_be_a_reference_is_none(junk):
    assert normalise(junk) is None


def test_a_new_reference_reads_back_as_itself():
    for _ in range(200):
        reference = new_reference()
        assert re.fullmatch(r"PR-[0-9A-HJKMNP-TV-Z]{6}", reference)
        assert normalise(reference) == reference
        assert normalise(reference.lower().replace("-", " ")) == reference


def test_the_alphabet_leaves_out_letters_that_are_misread():
    assert len(ALPHABET) == 32
    assert not set("ILOU") & set(ALPHABET)


@given(
    code=st.text(alphabet=ALPHABET, min_size=6, max_size=6),
    prefix=st.sampled_from(["PR-", "pr-", "PR ", "pr", ""]),
    lower=st.booleans(),
    gap=st.integers(min_value=0, max_value=6),
)
def test_any_reference_typed_with_any_case_spacing_or_prefix_reads_back(code, prefix, lower, gap):
    typed = prefix + code[:gap] + " " + code[gap:]
    assert normalise(typed.lower() if lower else typed) == "PR-" + code
