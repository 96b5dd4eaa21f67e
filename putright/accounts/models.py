"""Who works here: organisations, teams, staff and their roles.

Organisations live here rather than in ``cases`` because they are what staff
access is scoped by, and ``cases`` depends on ``accounts``, never the reverse.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from putright.procedure.policy import Nation


class OrganisationKind(models.TextChoices):
    GROUP = "group", "Group"
    LANDLORD = "landlord", "Landlord"
    SERVICE = "service", "Service company"
    DEVELOPMENT = "development", "Development company"
    CONTRACTOR = "contractor", "Contractor acting for us"


class Organisation(models.Model):
    """A landlord, a company of the group, or a contractor acting on its behalf."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subsidiaries"
    )
    acting_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contractors",
        help_text="For a contractor: the organisation it provides services for.",
    )
    # issue 13, tsm: superseded by HomesCount (per stock type and reporting year); kept, unused by reports.
    homes = models.PositiveIntegerField(
        default=0,
        help_text="Superseded: the reports use the homes recorded per stock type and reporting year "
        "(Homes counts). Kept for reference only.",
    )
    nation = models.CharField(
        max_length=20,
        choices=[(n.value, n.value.replace("-", " ").title()) for n in Nation],
        default=Nation.ENGLAND_AND_WALES.value,
        help_text="Whose bank holidays count as non-working days.",
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.CharField(max_length=200, blank=True)
    # The letterhead's picture (PNG or JPEG, checked by ``accounts.contact.check_logo``), on the
    # same storage as evidence; a subsidiary without one prints its group's.
    logo = models.FileField(upload_to="logos/", max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StockType(models.TextChoices):
    """The regulator's two kinds of social housing stock, reported separately in the TSM."""

    LCRA = "lcra", "Low-cost rental (LCRA)"
    LCHO = "lcho", "Low-cost home ownership (LCHO)"


class HomesCount(models.Model):
    """Homes an organisation owns of one stock type at the end of a reporting year.

    The Tenant Satisfaction Measures divide complaints by the homes owned at the year
    end, per stock type (CH01), so homes are data kept per year, not one number.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="homes_counts")
    stock_type = models.CharField(max_length=4, choices=StockType.choices)
    year = models.PositiveSmallIntegerField(
        help_text="The reporting year, by the year it begins: 2025 for April 2025 to March 2026."
    )
    homes = models.PositiveIntegerField(help_text="Homes owned on 31 March at the year's end.")

    class Meta:
        ordering = ["organisation__name", "-year", "stock_type"]
        verbose_name_plural = "homes counts"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "stock_type", "year"], name="homes_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name} {self.get_stock_type_display()} {self.year}: {self.homes}"


class Team(models.Model):
    name = models.CharField(max_length=120)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    lead = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams_led"
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.short_name})"


class Role(models.TextChoices):
    """The roles of DESIGN.md: what each person does in the procedure."""

    CUSTOMER_SERVICES = "customer_services", "Customer services (front line)"
    RESOLUTION_OFFICER = "resolution_officer", "Resolution Officer"
    SENIOR_MANAGER = "senior_manager", "Senior Manager"
    PANEL_MEMBER = "panel_member", "Appeal panel member"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    HEALTH_SAFETY_LEAD = "health_safety_lead", "Health and safety lead"
    MANAGER = "manager", "Manager or board member (reports)"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    """A member of staff. Customers are not users: they follow their case by link."""

    role = models.CharField(max_length=30, choices=Role.choices, default=Role.CUSTOMER_SERVICES)
    job_title = models.CharField(max_length=120, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="staff",
        help_text="Whose complaints this person may see. A group includes its subsidiaries.",
    )
    receives_daily_digest = models.BooleanField(
        default=True, help_text="A morning email of the day's work: overdue, due today and due soon."
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A key for a system that calls the API as a user (a housing management system, a CRM).

    Only a SHA-256 digest of the key is stored: the key itself is shown once,
    when an administrator creates it. A revoked token never works again.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120, help_text="What uses it, e.g. 'Housing management system'.")
    prefix = models.CharField(max_length=12, help_text="The start of the key, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.name} ({self.prefix}…, {state})"


class OidcIdentity(models.Model):
    """The account at the landlord's OpenID Connect provider that signs a member of staff in.

    Linked at the first sign-in (matched by email address) and found by its subject from then on,
    so a changed email address at the provider still reaches the same person here. issue 14, oidc.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="oidc_identity")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255, help_text="The provider's 'sub' claim for this person.")
    linked_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    groups = models.JSONField(
        default=list, blank=True, help_text="The mapped groups that gave the role at the last sign-in."
    )

    class Meta:
        verbose_name = "organisation account (OpenID Connect)"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique_subject")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.subject})"
