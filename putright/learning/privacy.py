"""The personal-data check: nothing on a public page may say who complained, or who answered.

``findings(text, organisation)`` lists every place in ``text`` that gives away a
person: a name, an address line, a postcode, an email address, a phone number
or a complaint reference. Two kinds of evidence are used:

- **The general shapes**, whoever they belong to: a UK postcode, a UK phone
  number, an email address, a complaint reference ("PR-" and its code), and an
  address line (a house or flat number, then a street: "12 Acacia Avenue").
- **The database itself**: the names of the customers, representatives and staff
  of the organisation and of the organisations above and below it in its group,
  the first lines of their addresses, and the references of their complaints
  (a bare code like "7K3M9Q" is found only this way). Their email addresses, phone
  numbers and postcodes need no lookup: every one of them has the general shape,
  which is refused whoever it belongs to.

The database is read in a fixed number of queries whatever its size: the text is
cut into words, the words (and runs of two to four words, for names like
"Mary Ann" or "van der Berg") are looked up with ``IN``, lower-cased, through the
functional indexes of migration ``learning.0003_yswd_privacy_indexes``.

**Word boundaries.** A name is a whole word: "Ann" is not found in "annual" nor
"Lee" in "fleet". A word may hold apostrophes (straight or curly) and hyphens, so
"O'Brien", "O’Brien", "Smith-Jones" and "Jean-Luc" are one word each; each part of
a hyphenated word is looked up too ("Jean" in "Jean-Luc"), and so is a word
without its possessive ("Smith's").

**Everyday words that are also names** (a customer called Will, Rose, May or
Green). Refusing every "Will" would refuse "Will we be told?", every entry that
mentions the month of May, and "green spaces" for as long as one customer is
called Green; approvers would soon learn that the check cries wolf. A lone
everyday word also identifies nobody. So a name that is one of ``EVERYDAY_WORDS``
is a finding only when it is written with a capital letter *and* it stands
beside another part of a name ("Will Smith", "Rose Green") or after a title
("Mrs Rose", "Mr Green"). Any other name is a finding however it is written
("smith" too: a lower-case surname is still a surname).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from putright.cases.references import normalise as normalise_reference

if TYPE_CHECKING:
    from putright.accounts.models import Organisation


class Kind(StrEnum):
    NAME = "name"
    ADDRESS = "address"
    POSTCODE = "postcode"
    EMAIL = "email"
    PHONE = "phone"
    REFERENCE = "reference"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Kind.NAME: "a person's name",
    Kind.ADDRESS: "an address",
    Kind.POSTCODE: "a postcode",
    Kind.EMAIL: "an email address",
    Kind.PHONE: "a phone number",
    Kind.REFERENCE: "a complaint reference",
}


@dataclass(frozen=True, order=True)
class Finding:
    """``text[start:end]`` is ``words``, which is personal data of the ``kind`` given."""

    start: int
    end: int
    words: str
    kind: Kind

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "words": self.words,
            "kind": self.kind.value,
            "label": self.kind.label,
        }


#: Everyday English words (and months) that are also first names or surnames: found only
#: when capitalised beside another part of a name or after a title (see the module's note).
EVERYDAY_WORDS = frozenset(
    """
    will rose may june april august grace hope joy faith mark bill pat sue rob jack frank drew
    dawn summer amber holly ivy lily daisy heather iris ruby pearl crystal sky storm art ray gene
    guy miles chase hunter baker cook green brown white black gray grey hall wood woods king young
    hill park page long short little rich bell ward walker mason turner field fields house marsh
    moss ash birch bush church cross day east west north south fox lamb swan bird crane stone wall
    waters rivers brook banks best good hart noble price love sharp power rice case law land
    english french welsh bishop knight archer fisher butcher glass gold silver penny sterling
    carter miller porter shepherd webb wells lane street rain snow frost winter autumn spring
    christian major earl duke read reading joiner sweet sage over under staff
    """.split()  # noqa: SIM905 (a list of words reads better as words)
)

#: Words that come before a name: the next word is a name, however everyday.
TITLES = frozenset(
    "mr mrs ms miss mx dr sir dame lady lord cllr councillor prof professor rev revd father sister".split()  # noqa: SIM905
)

_APOSTROPHES = "'\u2019\u02bc"
#: A word: letters, joined by apostrophes or hyphens (a digit or an underscore ends it).
WORD = re.compile(rf"[^\W\d_]+(?:[{_APOSTROPHES}\-][^\W\d_]+)*")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
#: A UK postcode, with or without its space, in either case (GIR 0AA is the odd one out).
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
#: A UK phone number: +44 or 0, then digits with single spaces, hyphens or brackets between.
PHONE = re.compile(r"(?<![\w+])(?:\+44[\s-]?(?:\(0\)[\s-]?)?|\(?0)(?:\d\)?[\s-]?){8,11}\d(?!\d)")
#: A complaint reference: "PR-" (or "PR " or "PR") and six characters of its alphabet.
REFERENCE = re.compile(r"(?<![A-Za-z0-9])PR[-\s]?[0-9A-Z]{6}(?![A-Za-z0-9])", re.IGNORECASE)
#: A bare reference code: six letters and digits with at least one digit (looked up, not assumed).
BARE_CODE = re.compile(r"(?<![A-Za-z0-9-])(?=[A-Za-z]*\d)[0-9A-Za-z]{6}(?![A-Za-z0-9])")
_STREETS = (
    "road|rd|street|st|avenue|ave|close|lane|ln|court|ct|way|drive|dr|crescent|place|pl|gardens|"
    "terrace|grove|walk|rise|view|mews|square|sq|row|hill|green|park|yard|parade|chase|fields|"
    "meadow|meadows|wharf|quay|path|boulevard|estate"
)
#: An address line: a house number (or "Flat 3, "), then one to four capitalised words and a street.
ADDRESS_LINE = re.compile(
    rf"(?<![\w-])(?:(?:flat|apartment|unit)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+"
    rf"(?:[A-Z][\w{_APOSTROPHES}\-]*\s+){{0,3}}(?:{_STREETS})\b\.?",
    re.IGNORECASE,
)
_FLAT = re.compile(r"(?<![\w-])(?:flat|apartment)\s+\d+[A-Za-z]?(?![\w])", re.IGNORECASE)
#: Where a candidate address line ends: the number, then words, up to a comma, full stop or new line.
_LINE_START = re.compile(r"(?<![\w-])\d{1,4}[A-Za-z]?(?![\w])")


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class Candidates:
    """What to look up in the database for a text: names (lower case), address starts, codes."""

    names: frozenset[str]
    address_starts: frozenset[str]
    references: frozenset[str]


@dataclass(frozen=True)
class Known:
    """What the database knows of the candidates: the names, address lines and references found."""

    names: frozenset[str]
    address_lines: frozenset[str]
    references: frozenset[str]


def findings(text: str, organisation: Organisation | int) -> list[Finding]:
    """Every place in ``text`` that gives away a person, in order; [] when the text is safe to publish."""
    from putright.learning.privacy_selectors import known_to

    wanted = candidates(text)
    known = known_to(organisation, wanted)
    return findings_given(text, known)


def findings_given(text: str, known: Known) -> list[Finding]:
    """The findings of ``text`` given what the database knows (pure: the tests' and the API's core)."""
    found: list[Finding] = []
    found += _shape(text, EMAIL, Kind.EMAIL)
    found += [f for f in _shape(text, PHONE, Kind.PHONE) if _is_phone(f.words)]
    found += _shape(text, POSTCODE, Kind.POSTCODE)
    found += [f for f in _shape(text, REFERENCE, Kind.REFERENCE) if _is_reference(f.words)]
    found += _shape(text, ADDRESS_LINE, Kind.ADDRESS)
    found += _shape(text, _FLAT, Kind.ADDRESS)
    found += _known_references(text, known)
    found += _known_addresses(text, known)
    found += _names(text, known)
    return _tidy(found)


def candidates(text: str) -> Candidates:
    words = words_of(text)
    names: set[str] = set()
    for index in range(len(words)):
        for size in range(1, 5):
            run = _run(text, words, index, size)
            if run is None:
                break
            names.update(_spellings(run))
        for part in _parts(words[index]):
            names.update(_spellings(part.text))
    return Candidates(
        names=frozenset(name for name in names if len(name) > 1),
        address_starts=frozenset(start for _, _, start in _address_starts(text)),
        references=frozenset(
            code
            for match in [*REFERENCE.finditer(text), *BARE_CODE.finditer(text)]
            if (code := normalise_reference(match.group())) is not None
        ),
    )


def words_of(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def highlight(text: str, found: Iterable[Finding]) -> SafeString:
    """The text as safe HTML, each finding in ``<mark>`` with what it is said to screen readers."""
    pieces: list[str] = []
    at = 0
    for finding in _tidy(found):
        if finding.start < at:
            continue
        pieces.append(escape(text[at : finding.start]))
        pieces.append(
            f'<mark class="pr-finding">{escape(text[finding.start : finding.end])}</mark>'
            f'<span class="govuk-visually-hidden"> ({escape(finding.kind.label)})</span>'
        )
        at = finding.end
    pieces.append(escape(text[at:]))
    return mark_safe("".join(pieces))  # nosec # noqa: S308 - every piece of the text is escaped above


def summary(found: Sequence[Finding]) -> str:
    """ "“Smith” (a person's name), “NR1 1PD” (a postcode)": the findings in words, each once."""
    seen = dict.fromkeys(f"“{f.words}” ({f.kind.label})" for f in found)
    return ", ".join(seen)


# --- the shapes ---------------------------------------------------------------------------


def _shape(text: str, pattern: re.Pattern[str], kind: Kind) -> list[Finding]:
    return [Finding(m.start(), m.end(), m.group(), kind) for m in pattern.finditer(text)]


def _is_phone(words: str) -> bool:
    digits = re.sub(r"\D", "", words.replace("(0)", ""))
    if words.startswith("+44"):
        return len(digits) in (11, 12)  # 44 and nine or ten more
    return len(digits) in (10, 11)


def _is_reference(words: str) -> bool:
    code = normalise_reference(words)
    # Without a dash or space, "PR" and six letters is as often a word ("PROBLEM"): a digit decides.
    return code is not None and (words[2:3] in "- " or any(ch.isdigit() for ch in words))


# --- what the database knows ------------------------------------------------------------------


def _known_references(text: str, known: Known) -> list[Finding]:
    return [
        Finding(m.start(), m.end(), m.group(), Kind.REFERENCE)
        for m in [*REFERENCE.finditer(text), *BARE_CODE.finditer(text)]
        if normalise_reference(m.group()) in known.references
    ]


def _address_starts(text: str) -> list[tuple[int, int, str]]:
    """Each run of two to six words that begins with a house number, lower-cased, with its span."""
    runs: list[tuple[int, int, str]] = []
    for number in _LINE_START.finditer(text):
        tail = re.split(r"[,.\n;:()]", text[number.start() :], maxsplit=1)[0]
        parts = list(re.finditer(r"\S+", tail))
        for size in range(2, min(len(parts), 6) + 1):
            end = number.start() + parts[size - 1].end()
            runs.append((number.start(), end, " ".join(p.group() for p in parts[:size]).lower()))
    return runs


def _known_addresses(text: str, known: Known) -> list[Finding]:
    return [
        Finding(start, end, text[start:end], Kind.ADDRESS)
        for start, end, run in _address_starts(text)
        if run in known.address_lines
    ]


def first_line(address: str) -> str:
    """An address's first line, lower-cased, spaces tidied ("12 acacia avenue" of "12 Acacia Avenue, ...")."""
    line = re.split(r"[,\n]", address.strip(), maxsplit=1)[0]
    return " ".join(line.split()).lower()


# --- names ------------------------------------------------------------------------------------


def _run(text: str, words: list[Word], index: int, size: int) -> str | None:
    """Words ``index`` to ``index + size`` as written when only spaces part them, else None."""
    if index + size > len(words):
        return None
    for left, right in zip(words[index : index + size - 1], words[index + 1 : index + size], strict=True):
        if text[left.end : right.start] != " ":
            return None
    return " ".join(word.text for word in words[index : index + size])


def _parts(word: Word) -> list[Word]:
    """The parts of a hyphenated word, each with its own place ("Jean" and "Luc" of "Jean-Luc")."""
    if "-" not in word.text:
        return []
    parts = []
    at = word.start
    for piece in word.text.split("-"):
        parts.append(Word(at, at + len(piece), piece))
        at += len(piece) + 1
    return parts


def _spellings(words: str) -> set[str]:
    """How ``words`` may be kept in the database: lower case, either apostrophe, without a possessive."""
    lower = words.lower()
    forms = {lower}
    for ending in ("'s", "\u2019s"):
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            forms.add(lower[: -len(ending)])
    spelt = set()
    for form in forms:
        straight = form.replace("\u2019", "'").replace("\u02bc", "'")
        spelt |= {form, straight, straight.replace("'", "\u2019")}
    return spelt


def _names(text: str, known: Known) -> list[Finding]:
    """Each word (or run of words, or part of a hyphenated word) that is a known person's name."""
    words = words_of(text)
    hits: dict[int, Finding] = {}  # by word index
    everyday: dict[int, Finding] = {}
    for index, word in enumerate(words):
        for size in range(4, 0, -1):
            run = _run(text, words, index, size)
            if run is None or not (_spellings(run) & known.names):
                continue
            last = words[index + size - 1]
            finding = Finding(word.start, last.end, text[word.start : last.end], Kind.NAME)
            if size == 1 and word.text.lower() in EVERYDAY_WORDS:
                if word.capitalised:
                    everyday[index] = finding
            else:
                for covered in range(index, index + size):
                    hits.setdefault(covered, finding)
            break
        else:
            for part in _parts(word):
                if _spellings(part.text) & known.names and part.text.lower() not in EVERYDAY_WORDS:
                    hits.setdefault(index, Finding(part.start, part.end, part.text, Kind.NAME))
    for index, finding in everyday.items():
        titled = index > 0 and words[index - 1].text.lower().rstrip(".") in TITLES
        beside = any(
            other in hits or other in everyday
            for other in (index - 1, index + 1)
            if 0 <= other < len(words) and _run(text, words, min(index, other), 2) is not None
        )
        if titled or beside:
            hits[index] = finding
    return _joined(text, sorted(set(hits.values())))


def _joined(text: str, names: list[Finding]) -> list[Finding]:
    """Names one space apart are one name: "Ada Lovelace", not "Ada" and "Lovelace"."""
    joined: list[Finding] = []
    for finding in names:
        last = joined[-1] if joined else None
        if last is not None and text[last.end : finding.start] == " ":
            joined[-1] = Finding(last.start, finding.end, text[last.start : finding.end], Kind.NAME)
        else:
            joined.append(finding)
    return joined


def _tidy(found: Iterable[Finding]) -> list[Finding]:
    """In order, each once; a finding inside a longer one is left to it."""
    ordered = sorted(set(found), key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    for finding in ordered:
        if kept and finding.end <= kept[-1].end:
            continue
        kept.append(finding)
    return kept
