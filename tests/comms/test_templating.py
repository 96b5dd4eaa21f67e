"""Template words are untrusted: anything but the offered placeholders and simple tags is refused."""

# The letter fixtures are imported from tests.comms.letter_cases (the conftest here belongs to
# the reminder tests); pytest passes them back in as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from putright.cases.errors import InvalidInput
from putright.comms.letters import templating
from putright.comms.letters.default_words import default_words
from putright.comms.letters.placeholders import placeholders
from putright.comms.letters.services import templates
from putright.comms.models import LetterKind, LetterTemplate
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
)

K = LetterKind
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(officer):
    return officer


def refused_save(field: str, message: str, actor, **words):
    before = list(LetterTemplate.objects.values_list("pk", "kind", "version"))
    arguments = {
        "subject": "About {{ reference }}",
        "body": "Dear {{ recipient_name }},",
        "note": "",
        **words,
    }
    newest = templates.current(K.ACKNOWLEDGEMENT).version
    with pytest.raises(InvalidInput) as refused:
        templates.save_version(K.ACKNOWLEDGEMENT, based_on=newest, actor=actor, **arguments)
    assert refused.value.field == field
    assert message in refused.value.detail
    assert list(LetterTemplate.objects.values_list("pk", "kind", "version")) == before
    return refused.value.detail


def test_every_kind_ships_version_1_of_its_default_words():
    for kind in K:
        template = templates.current(kind)
        assert template.version == 1
        assert (template.subject, template.body) == default_words(kind)
        templates.check_words(kind, subject=template.subject, body=template.body)


@pytest.mark.parametrize(
    "body",
    [
        "{{ complaint.delete }}",
        "{{ complaint.customer.email }}",
        "{% if complaint %}x{% endif %}",
        "{% for p in complaint.points.all %}{{ p }}{% endfor %}",
        "{{ reference|default:secret }}",
    ],
)
def test_a_model_or_an_unknown_name_is_refused_with_the_names_on_offer(admin_user, body):
    detail = refused_save("body", "is not a placeholder this letter offers", admin_user, body=body)
    assert "reference" in detail and "contact_by" in detail


def test_a_placeholder_of_another_kind_of_letter_is_refused(admin_user):
    refused_save("body", "{{ refusal_reason }} is not a placeholder", admin_user, body="{{ refusal_reason }}")


def test_an_unknown_field_of_a_list_item_is_refused(officer):
    with pytest.raises(
        InvalidInput, match=r"\{\{ point.secret \}\} is not something this letter can fill in"
    ):
        templates.check_words(
            K.STAGE1_RESPONSE, subject="x", body="{% for point in points %}{{ point.secret }}{% endfor %}"
        )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% for x in %}", "cannot be read"),
        ("{% if reference %}no end", "cannot be read"),
        ("{{ reference }", "not closed"),
        ("{% load i18n %}", "cannot be read"),
        ('{% include "comms/letter.html" %}', "the tag {% include %} is not allowed"),
        ("{% debug %}", "the tag {% debug %} is not allowed"),
        ('{% url "admin:index" %}', "the tag {% url %} is not allowed"),
        ("{{ reference.__class__ }}", "cannot be read"),
    ],
)
def test_syntax_errors_and_dangerous_tags_are_refused(admin_user, body, message):
    refused_save("body", message, admin_user, body=body)


def test_the_subject_is_checked_too(admin_user):
    refused_save("subject", "{{ nope }}", admin_user, subject="Hello {{ nope }}")
    refused_save("subject", "give the letter a subject", admin_user, subject="  ")
    refused_save("body", "the letter has no words", admin_user, body="\n ")


def test_a_stale_edit_is_refused_and_saves_nothing(admin_user, senior):
    first = templates.current(K.ACKNOWLEDGEMENT)
    templates.save_version(
        K.ACKNOWLEDGEMENT,
        subject="A {{ reference }}",
        body="B",
        note="",
        based_on=first.version,
        actor=senior,
    )
    before = LetterTemplate.objects.count()
    with pytest.raises(InvalidInput) as refused:
        templates.save_version(
            K.ACKNOWLEDGEMENT, subject="C", body="D", note="", based_on=first.version, actor=admin_user
        )
    assert refused.value.field == "based_on"
    assert "someone has saved version 2 of this template since you opened version 1" in refused.value.detail
    assert LetterTemplate.objects.count() == before
    assert templates.current(K.ACKNOWLEDGEMENT).subject == "A {{ reference }}"


def test_a_new_version_is_a_new_row_and_the_old_one_is_kept(admin_user):
    first = templates.current(K.EXTENSION)
    second = templates.save_version(
        K.EXTENSION,
        subject="New date {{ response_by }}",
        body="{{ extension_reason }}",
        note="Short",
        based_on=1,
        actor=admin_user,
    )
    assert (second.version, second.created_by, second.note) == (2, admin_user, "Short")
    first.refresh_from_db()
    assert (first.subject, first.body) == default_words(K.EXTENSION)
    assert templates.current(K.EXTENSION) == second


def test_the_preview_renders_on_a_real_case(journey):
    complaint = journey.until("accepted")
    subject, body = templates.preview(
        K.ACKNOWLEDGEMENT,
        subject="Complaint {{ reference }}",
        body=(
            "Dear {{ recipient_name }},\n\n"
            "{% if contact_by %}\nWe will call by {{ contact_by }}.\n{% endif %}\n"
        ),
        complaint=complaint,
    )
    assert subject == f"Complaint {complaint.reference}"
    assert body == "Dear Ada Lovelace,\n\nWe will call by Tuesday 3 March 2026 at 10:00."


def test_a_preview_that_will_not_render_says_why(journey):
    complaint = journey.until("accepted")
    with pytest.raises(InvalidInput) as refused:
        templates.preview(K.ACKNOWLEDGEMENT, subject="x", body="{{ complaint.delete }}", complaint=complaint)
    assert refused.value.field == "body"


def test_lines_holding_only_a_tag_leave_no_gaps():
    text = "Items:\n{% for item in items %}\n- {{ item.name }}\n{% endfor %}\nEnd."
    rendered = templating.render(text, {"items": [{"name": "a"}, {"name": "b"}]}, field="body")
    assert rendered == "Items:\n- a\n- b\nEnd."


def test_values_are_not_escaped_in_plain_text():
    assert templating.render("{{ name }}", {"name": "O'Brien & <Sons>"}, field="body") == "O'Brien & <Sons>"


def test_placeholders_are_documented_for_every_kind():
    for kind in K:
        offered = placeholders(kind)
        assert {"reference", "recipient_name", "landlord_phone"} <= set(offered)
        assert all(description.strip() for description in offered.values())
    assert "ombudsman_from" in placeholders(K.APPEAL_DECISION)
    assert "ombudsman_from" not in placeholders(K.ACKNOWLEDGEMENT)


def test_a_line_with_text_between_tags_keeps_its_line_break():
    text = "{% if a %}A{% endif %}{% if b %} B{% endif %}\n{% if c %}\nC\n{% endif %}\nD"
    assert templating.render(text, {"a": "y", "b": "y", "c": "y"}, field="body") == "A B\nC\nD"


@pytest.mark.django_db
def test_a_kind_with_no_saved_template_gets_the_shipped_words_as_version_1():
    LetterTemplate.objects.filter(kind=LetterKind.EXTENSION).delete()
    template = templates.current(LetterKind.EXTENSION)
    assert template.version == 1
    assert "{{" in template.body
    assert templates.current(LetterKind.EXTENSION).pk == template.pk


# Words that would exhaust the server: filters that make long text, long sources, loops inside loops.


@pytest.mark.parametrize(
    "body",
    [
        '{{ reference|ljust:"50000000" }}',
        '{{ reference|center:"50000000" }}',
        '{{ reference|rjust:"50000000"|upper }}',
        "{{ reference|upper|safe }}",
        '{% if reference|stringformat:"s" %}x{% endif %}',
        '{% for point in points|slice:":2" %}x{% endfor %}',
    ],
)
def test_a_filter_not_on_the_short_list_is_refused_naming_the_allowed_ones(officer, body):
    with pytest.raises(InvalidInput) as refused:
        templates.check_words(K.STAGE1_RESPONSE, subject="x", body=body)
    assert refused.value.field == "body"
    assert "is not allowed; use only capfirst, default, default_if_none, first, join" in refused.value.detail
    assert "upper, yesno" in refused.value.detail


def test_the_allowed_filters_shape_words():
    context = {"name": "ada lovelace", "empty": "", "items": [{"a": "x"}, {"a": "y"}], "done": "yes"}
    text = (
        "{{ name|title }} {{ name|upper }} {{ name|capfirst }} {{ empty|default:'none' }} "
        "{{ items|length }} item{{ items|length|pluralize }} {{ done|yesno:'done,not done' }}"
    )
    assert templating.render(text, context, field="body") == (
        "Ada Lovelace ADA LOVELACE Ada lovelace none 2 items done"
    )


def test_a_template_longer_than_the_limit_is_refused(officer):
    body = "Dear {{ recipient_name }},\n\n" + "x" * templating.MAX_SOURCE
    with pytest.raises(InvalidInput) as refused:
        templates.check_words(K.ACKNOWLEDGEMENT, subject="x", body=body)
    assert refused.value.field == "body"
    assert "it may be at most 20,000" in refused.value.detail


def test_a_subject_longer_than_the_model_keeps_is_refused(admin_user):
    refused_save("subject", "it may be at most 200", admin_user, subject="x" * 201)


def test_rendering_stops_once_the_letter_is_longer_than_the_limit():
    """Twenty loop turns of 5,000 characters each would be 100,000: refused as it passes 50,000."""
    body = "{% for item in items %}" + "x" * 5_000 + "{% endfor %}"
    with pytest.raises(InvalidInput) as refused:
        templating.render(body, {"items": [{"a": str(n)} for n in range(20)]}, field="body")
    assert refused.value.field == "body"
    assert "longer than 50,000 characters" in refused.value.detail
    assert templating.render(body, {"items": [{"a": "1"}] * 9}, field="body") == "x" * 45_000


def test_loops_inside_loops_are_stopped_before_they_multiply(officer):
    """Four loops, one inside another, over 40 items would take 2.5 million turns, drawing nothing."""
    import time

    body = (
        "{% for a in items %}{% for b in items %}{% for c in items %}{% for d in items %}"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        templating.render(body, {"items": [{"a": "x"}] * 40}, field="body")
    assert "takes more than 20,000 steps" in refused.value.detail
    assert time.monotonic() - started < 2


def test_a_loop_with_two_names_is_refused(officer):
    with pytest.raises(InvalidInput, match="a loop takes one name for each item"):
        templates.check_words(
            K.STAGE1_RESPONSE, subject="x", body="{% for a, b in points %}{{ a }}{% endfor %}"
        )


def test_every_shipped_template_renders_well_within_the_limits(journey):
    complaint = journey.until("final")
    for kind in K:
        template = templates.current(kind)
        assert len(template.body) < templating.MAX_SOURCE / 4
        templates.preview(kind, subject=template.subject, body=template.body, complaint=complaint)
