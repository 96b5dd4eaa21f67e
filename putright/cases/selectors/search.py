"""issue 16, search: free text through the full-text index (cases.search_index).

Each word typed is cut into its letters-and-digits pieces, as the index cuts the text, and
each piece must begin a word of the complaint: "mou" finds "mould", "PR-7K3", "7k3m9q" and
"pr7k3m9q" (a whole reference, however typed) find PR-7K3M9Q, "NR1" finds the postcode NR1
1AA. Every word typed must be found (in any of the complaint's fields). A piece in the
middle of a word ("ould") is not found: the price of an index that answers in milliseconds
over millions of complaints.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from putright.cases.models import Complaint
from putright.cases.references import PREFIX, normalise
from putright.cases.search_index import TABLE

#: The words read from what was typed; any more are ignored.
MAX_WORDS = 6
_PIECE = re.compile(r"[^\W_]+")
PREFIX_PIECE = PREFIX.strip("-").lower()


def pieces(word: str) -> list[str]:
    """The pieces of a word the index holds: runs of letters and digits, in lower case,
    without accents (as the index holds them)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))
    return _PIECE.findall(plain)


def _without_prefix(found: list[str]) -> list[str]:
    """A reference's "PR" is in every complaint's words: typed before its code ("PR-7K3"), it
    only makes the index read every complaint, so it is left out."""
    if len(found) > 1 and found[0] == PREFIX_PIECE:
        return found[1:]
    return found


def text_matches(text: str, *, notes: bool = False) -> Q:
    """Complaints whose words (and, with ``notes``, the staff's notes) hold every word typed;
    a whole reference, however typed (cases.references.normalise), also finds its complaint."""
    words = [found for word in text.split()[:MAX_WORDS] if (found := _without_prefix(pieces(word)))]
    if not words:
        return Q()
    # One IN over one sub-query (the reference joined to it by UNION): an OR beside it would
    # stop the database joining to the index and make it test every complaint instead.
    return Q(pk__in=_matching_ids(words, notes=notes, reference=normalise(text)))


def _matching_ids(words: list[list[str]], *, notes: bool, reference: str | None) -> RawSQL:
    if connection.vendor == "postgresql":
        weight = "" if notes else "A"
        query = " & ".join(f"'{piece}':*{weight}" for word in words for piece in word)
        # The table's own name; what was typed goes as a parameter.
        sql = f"SELECT complaint_id FROM {TABLE} WHERE document @@ to_tsquery('simple', %s)"  # noqa: S608 # nosec B608
        return _or_reference(sql, (query,), reference)
    terms = " AND ".join(f'"{piece}"*' for word in words for piece in word)
    match = terms if notes else f"body : ({terms})"
    sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608 # nosec B608 (the table's name)
    return _or_reference(sql, (match,), reference)


def _or_reference(sql: str, params: tuple[str, ...], reference: str | None) -> RawSQL:
    if reference:
        table = Complaint._meta.db_table
        sql += f" UNION SELECT id FROM {table} WHERE reference = %s"  # noqa: S608 # nosec B608 (the model's table)
        params += (reference,)
    # The tables' own names; what was typed goes as parameters.
    return RawSQL(sql, params)  # noqa: S611 # nosec B611
