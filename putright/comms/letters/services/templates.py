"""Letter templates: versioned words, edited by administrators with a preview on a real case.

A template is never changed: saving makes the next version, so every letter
keeps pointing at the words it was made from. Words are checked before they
are saved (they compile, use only the tags and placeholders the kind offers,
and render on stand-in values), so a broken template never reaches a
caseworker's draft.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.comms.letters import placeholders as names
from putright.comms.letters import templating
from putright.comms.letters.default_words import default_words
from putright.comms.letters.letter_context import letter_context
from putright.comms.models import LetterKind, LetterTemplate

#: The longest subject a template may have (the model's column).
MAX_SUBJECT = LetterTemplate._meta.get_field("subject").max_length or 200


def current(kind: LetterKind) -> LetterTemplate:
    """The newest version of the template for ``kind``: the shipped words (version 1) if none is saved.

    Migration 0002 saves version 1 of every kind; a kind added later, or a
    database emptied of templates, still gets the shipped words rather than
    leaving a caseworker unable to write.
    """
    template = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
    if template is not None:
        return template
    if kind not in LetterKind.values:
        raise InvalidInput("kind", f"there is no kind of letter called {kind!r}")
    subject, body = default_words(kind)
    template, _ = LetterTemplate.objects.get_or_create(
        kind=kind, version=1, defaults={"subject": subject, "body": body, "note": "The words putright ships."}
    )
    return template


def placeholders(kind: LetterKind) -> dict[str, str]:
    """The names a template of ``kind`` may use, each with what it holds (shown beside the editor)."""
    return names.placeholders(kind)


def preview(kind: LetterKind, *, subject: str, body: str, complaint: Complaint) -> tuple[str, str]:
    """``subject`` and ``body`` rendered for ``complaint``.

    Raises InvalidInput("subject" or "body", why) when they will not render.
    """
    context = letter_context(complaint, kind)
    return render_words(kind, subject=subject, body=body, context=context)


def render_words(kind: LetterKind, *, subject: str, body: str, context: dict[str, object]) -> tuple[str, str]:
    """The subject (one line) and body of a template of ``kind``, rendered against ``context``."""
    check_words(kind, subject=subject, body=body)
    rendered_subject = " ".join(templating.render(subject, context, field="subject").split())
    return rendered_subject, templating.render(body, context, field="body")


def check_words(kind: LetterKind, *, subject: str, body: str) -> None:
    """Refuse words that are empty, will not compile, or use what ``kind`` does not offer."""
    if not subject.strip():
        raise InvalidInput("subject", "give the letter a subject")
    if len(subject.strip()) > MAX_SUBJECT:
        raise InvalidInput(
            "subject", f"the subject is {len(subject.strip()):,} characters: it may be at most {MAX_SUBJECT}"
        )
    if not body.strip():
        raise InvalidInput("body", "the letter has no words")
    sample = names.sample_context(kind)
    templating.render(subject, sample, field="subject")
    templating.render(body, sample, field="body")


def save_version(
    kind: LetterKind, *, subject: str, body: str, note: str, based_on: int, actor: User
) -> LetterTemplate:
    """A new version of ``kind``'s template.

    ``based_on`` is the version number the editor started from: if someone has
    saved a newer version since, the save is refused (InvalidInput on
    "based_on") so that their words are not silently replaced.
    """
    kind = LetterKind(kind)
    check_words(kind, subject=subject, body=body)
    with transaction.atomic():
        newest = LetterTemplate.objects.select_for_update().filter(kind=kind).order_by("-version").first()
        newest_version = newest.version if newest else 0
        if based_on != newest_version:
            raise InvalidInput(
                "based_on",
                f"someone has saved version {newest_version} of this template since you opened "
                f"version {based_on}. Reload it to see their words, then make your change again.",
            )
        try:
            with transaction.atomic():
                return LetterTemplate.objects.create(
                    kind=kind,
                    version=newest_version + 1,
                    subject=subject.strip(),
                    body=body.strip() + "\n",
                    note=note.strip()[:300],
                    created_by=actor,
                )
        except IntegrityError:
            raise InvalidInput(
                "based_on", "someone saved this template at the same moment. Reload it and try again."
            ) from None
