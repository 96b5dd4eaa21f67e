"""issue 15, chainhead: the check's fast hashes give exactly the bytes of the rule's own.

``fast_text_digest`` and ``fast_event_hash`` write the canonical JSON member by member; if
they ever differed from ``canonical`` over the dict, every chain would break (or worse,
a broken one would pass), so they are held to it over any text, label, id and moment.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from putright.procedure import chain

texts = st.text(max_size=20)  # any code point: quotes, backslashes, controls, emoji, surrogates
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=4,
)
# The machine is shared: slow drawing is the machine's, not the strategy's.
patient = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


@patient
@given(summary=texts, data=st.dictionaries(texts, json_values, max_size=4))
def test_the_fast_text_digest_is_the_rules(summary, data):
    assert chain.fast_text_digest(summary, data) == chain.text_digest(summary, data)


@patient
@given(
    previous=st.sampled_from([chain.GENESIS, "a" * 64]),
    complaint=st.integers(min_value=1, max_value=2**40),
    kind=st.integers(min_value=100, max_value=999),
    stage=st.integers(min_value=0, max_value=3),
    occurred_at=moments,
    actor=st.none() | st.integers(min_value=1, max_value=2**31),
    actor_label=texts,
    text=st.sampled_from(["", "0" * 64]),
)
def test_the_fast_event_hash_is_the_rules(
    previous, complaint, kind, stage, occurred_at, actor, actor_label, text
):
    content = chain.content(
        complaint=complaint,
        kind=kind,
        stage=stage,
        occurred_at=occurred_at,
        actor=actor,
        actor_label=actor_label,
        text=text,
    )
    fast = chain.fast_event_hash(
        previous, complaint, kind, stage, chain.utc_iso(occurred_at), actor, actor_label, text
    )
    assert fast == chain.event_hash(previous, content)


def test_a_signature_needs_the_key_and_covers_every_part_of_the_head():
    signed = chain.head_signature(b"key", 7, 12, "ab" * 32)
    assert len(signed) == 64
    assert signed == chain.head_signature(b"key", 7, 12, "ab" * 32)
    assert signed != chain.head_signature(b"other", 7, 12, "ab" * 32)
    assert signed != chain.head_signature(b"key", 8, 12, "ab" * 32)
    assert signed != chain.head_signature(b"key", 7, 11, "ab" * 32)
    assert signed != chain.head_signature(b"key", 7, 12, "cd" * 32)
