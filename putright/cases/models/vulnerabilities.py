"""Disabilities and vulnerabilities a customer has told us about (issue 15, vuln; Code 5.10).

The Housing Ombudsman's Complaint Handling Code (5.10) asks a landlord to keep a record of the
vulnerabilities a resident discloses and to keep it under review. What is disclosed is special
category data (health, disability) or close to it (domestic abuse, money), so:

- **Nothing is kept without consent.** A vulnerability is saved only with when and how the
  customer agreed, and to what: that it is recorded and shared with the staff who handle their
  complaints (``CONSENT_SCOPE``). The service refuses one without, with a clear error.
- **Withdrawing consent removes what was said.** The detail and the support it needs are
  emptied (and the disclosure's "how"); the row stays with its kind, when it was disclosed and
  when consent was withdrawn, so a later count of "how many customers told us of a
  vulnerability" is not changed by the withdrawal and nothing is invented or lost. The kind is
  kept because the count by kind is what Code 5.10's review asks of a landlord; the customer is
  told that this is what stays (the form says so).
- **Forgetting the customer** (anonymisation, erasure) deletes the rows outright: an anonymised
  customer has no one to hold a vulnerability of.
- **Only some roles see it** (``Capability.VIEW_VULNERABILITIES``); the timeline names only the
  kind, never the detail, because timeline events are permanent (``procedure/chain.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: What the customer agrees to when a vulnerability is recorded (shown on the form, kept on the row).
CONSENT_SCOPE = "recorded and shared with the staff who handle my complaints"


#: The timeline events about vulnerabilities (numbers of ``EventKind``): shown only to the roles
#: that may see vulnerabilities, so to the others the case says nothing of one.
EVENT_KINDS = frozenset({460, 461, 462})


class VulnerabilityKind(models.TextChoices):
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability"
    MENTAL_HEALTH = "mental_health", "Mental health"
    LEARNING_DISABILITY = "learning_disability", "Learning disability or difficulty"
    SENSORY_IMPAIRMENT = "sensory_impairment", "Sensory impairment (sight, hearing)"
    LONG_TERM_ILLNESS = "long_term_illness", "Long-term illness"
    AGE = "age", "Age"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    FINANCIAL_HARDSHIP = "financial_hardship", "Financial hardship"
    LANGUAGE_LITERACY = "language_literacy", "Language or literacy"
    BEREAVEMENT = "bereavement", "Bereavement"
    OTHER = "other", "Other"


class DisclosedVia(models.TextChoices):
    PHONE = "phone", "By phone"
    IN_PERSON = "in_person", "In person"
    EMAIL = "email", "By email"
    LETTER = "letter", "By letter"
    WEB_FORM = "web_form", "On the web form"
    THIRD_PARTY = "third_party", "Through someone acting for them"


class Vulnerability(models.Model):
    """One vulnerability a customer disclosed, kept with their consent and reviewed."""

    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE, related_name="vulnerabilities")
    kind = models.CharField(max_length=30, choices=VulnerabilityKind.choices)
    detail = models.TextField(blank=True, help_text="What the customer told us, in their words")
    support_needed = models.TextField(blank=True, help_text="What we do because of it")
    disclosed_on = models.DateField()
    disclosed_via = models.CharField(max_length=20, choices=DisclosedVia.choices)
    consent_given_at = models.DateTimeField()
    consent_how = models.CharField(max_length=200, help_text="How consent was given")
    consent_scope = models.CharField(max_length=200, default=CONSENT_SCOPE)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField()
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["disclosed_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def withdrawn(self) -> bool:
        return self.consent_withdrawn_at is not None
