"""The policy in plain words follows the policy's data: each setting changes what the public reads."""

from __future__ import annotations

import datetime as dt

from putright.procedure import loader
from putright.procedure.published import publish


def text_of(policy) -> str:
    published = publish(policy)
    parts = [published.title, published.summary]
    for section in published.sections:
        parts += [section.heading, *section.paragraphs, *section.items, *section.after]
    return "\n".join(parts)


def test_closure_days_and_a_working_hours_clock_are_said_in_words():
    policy = loader.load("flagship").policy
    calendar = policy.calendar.model_copy(
        update={"closure_days": (dt.date(2026, 12, 29), dt.date(2026, 12, 30))}
    )
    words = text_of(policy.model_copy(update={"calendar": calendar}))
    assert "Our offices are also closed on 29 December 2026 and 30 December 2026" in words
    assert "We will contact you within 24 working hours of receiving your complaint" in words


def test_no_extension_without_a_good_reason_is_said_so():
    policy = loader.load("code-2024").policy
    stage1 = policy.stage1.model_copy(update={"extensions_without_good_reason": 0})
    words = text_of(policy.model_copy(update={"stage1": stage1}))
    assert "We extend only with a good reason, by up to 10 working days." in words
    assert "We can extend once by up to 20 working days" in words  # stage 2 unchanged


def test_the_sections_follow_the_stages_the_policy_has():
    headings = [s.heading for s in publish(loader.load("code-2024").policy).sections]
    assert headings == [
        "What a complaint is",
        "What we will not consider as a complaint",
        "How to complain",
        "Stage 1",
        "Stage 2",
        "The Housing Ombudsman",
        "How we count time",
    ]
    with_appeal = [s.heading for s in publish(loader.load("flagship").policy).sections]
    assert "Appeal to the Tenants Experience Group" in with_appeal
