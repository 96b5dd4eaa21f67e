"""Customers, the people who act for them, and what they need from us."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Tenure(models.TextChoices):
    TENANT = "tenant", "Tenant"
    LEASEHOLDER = "leaseholder", "Leaseholder"
    SHARED_OWNER = "shared_owner", "Shared owner"
    APPLICANT = "applicant", "Applicant"
    OTHER = "other", "Other"


#: The stock type of the home a complaint is about, from the customer's tenure (issue 13):
#: a tenant rents (low-cost rental), a leaseholder or shared owner part-owns (low-cost home
#: ownership); an applicant or anyone else has no home of ours, so none.
STOCK_TYPE_OF_TENURE: dict[str, str] = {
    Tenure.TENANT: "lcra",
    Tenure.LEASEHOLDER: "lcho",
    Tenure.SHARED_OWNER: "lcho",
}


class ContactPreference(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"


class Customer(models.Model):
    """A resident, leaseholder or applicant who complains."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="customers"
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    tenancy_reference = models.CharField(max_length=40, blank=True)
    tenure = models.CharField(max_length=20, choices=Tenure.choices, default=Tenure.TENANT)
    preferred_contact = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.PHONE
    )
    preferred_contact_time = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "postcode"], name="customer_name_postcode"),
            # issue 16, search: the list sorted by customer reads customers in this order.
            models.Index(fields=["last_name", "first_name", "id"], name="customer_sort_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class AdjustmentKind(models.TextChoices):
    LARGE_PRINT = "large_print", "Large print"
    OTHER_LANGUAGE = "other_language", "Another language"
    PREFERRED_TIME = "preferred_time", "A preferred time to be contacted"
    BSL_INTERPRETER = "bsl_interpreter", "British Sign Language interpreter"
    EASY_READ = "easy_read", "Easy read"
    OTHER = "other", "Other"


class ReasonableAdjustment(models.Model):
    """Something we do differently so that a customer can use the procedure."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=20, choices=AdjustmentKind.choices)
    detail = models.CharField(max_length=300, blank=True, help_text="Which language, what time, ...")

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}: {self.detail}" if self.detail else label


class RepresentativeKind(models.TextChoices):
    DESIGNATED_PERSON = "designated_person", "Designated person (MP, councillor)"
    FAMILY_OR_FRIEND = "family_or_friend", "Family member or friend"
    ADVOCATE = "advocate", "Advocate or support worker"
    SOLICITOR = "solicitor", "Solicitor"
    OTHER = "other", "Other"


class Representative(models.Model):
    """Someone acting for a customer, only ever with their consent."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=RepresentativeKind.choices)
    role = models.CharField(max_length=200, blank=True, help_text="e.g. MP for North Norfolk")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_how = models.CharField(max_length=200, blank=True, help_text="How consent was given")
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None


class Restriction(models.Model):
    """A restriction on contact for unacceptable behaviour, kept under review."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="restrictions")
    complaint = models.ForeignKey(
        "cases.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="restrictions"
    )
    reason = models.TextField()
    restrictions = models.TextField(help_text="What is restricted, e.g. written contact only")
    starts_on = models.DateField()
    review_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # conduct: what the latest review concluded, and why it ended
    reviewed_on = models.DateField(null=True, blank=True, help_text="When it was last reviewed")
    review_conclusion = models.TextField(blank=True)
    end_reason = models.TextField(blank=True)
    contact_meanwhile = models.TextField(
        blank=True, help_text="How the customer can contact us while it lasts (their letter says so)"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"Restriction on {self.customer} from {self.starts_on} (review {self.review_on})"

    @property
    def in_force(self) -> bool:
        return self.ended_on is None
