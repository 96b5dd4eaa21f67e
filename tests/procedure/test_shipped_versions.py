"""A shipped policy's text never changes under a version number already released.

Each complaint keeps the text of the policy it was opened under, registered by
name and version; a shipped file edited without a new version makes logging
refuse (``PolicyChangedWithoutNewVersion``) on every installation that has used
it. CI cannot ask git what was released, so the digests of every released text
are written down here: changing a shipped file means giving it a new version
and adding that version's digest below, which a reviewer sees in the diff.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from putright.procedure.loader import BUILTIN, load, parse

#: sha256 of each shipped policy text, by built-in name and version. Never edit a row.
RELEASED = {
    "flagship": {
        "1.0": "d91d5687e2eb0f063999ab6f03d3c21c0d45f264ef6695e69b348ac76f5980d9",
        "1.1": "5f9a030512499d50d6091d8ca8b53c9a1a061515b7b7316c2b8cf21a5bcf07ee",
        "1.2": "569be1682caf7853e4f031cdc51c91487f7edc60595779a5419590c270a71d27",
    },
    "code-2024": {
        "2.0": "e0de7d80e56a98a1d9bd4ad42191874e6424256795bd548352421124ce321586",
        "2.1": "78389d7bd05b209927b3ad1f55ae32960dbec2f2a61eb35960b6400399e93a60",
        "2.2": "d7f16c85a2471e09385b557ce5d6b9cb678b2f92a9336ffbfd676c4045cb61ff",
    },
}
#: The previous release's texts, kept as they were shipped.
PREVIOUS = Path(__file__).parent.parent / "fixtures" / "policies"


@pytest.mark.parametrize("name", sorted(BUILTIN))
def test_a_shipped_policy_matches_the_text_released_under_its_version(name):
    loaded = load(name)
    version = loaded.policy.version
    released = RELEASED[name]
    assert version in released, (
        f"{name} version {version} is not in the table of released texts: add its digest {loaded.digest}"
    )
    assert loaded.digest == released[version], (
        f"{BUILTIN[name]} differs from the text released as version {version}: "
        "give it a new version number and add that version's digest to RELEASED"
    )


@pytest.mark.parametrize(
    ("name", "version"),
    [("flagship", "1.0"), ("flagship", "1.1"), ("code-2024", "2.0"), ("code-2024", "2.1")],
)
def test_the_previous_releases_texts_are_kept_as_shipped(name, version):
    text = (PREVIOUS / f"{name}-{version}.toml").read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode()).hexdigest() == RELEASED[name][version]
    assert parse(text).version == version
