"""Words a customer reads about their landlord and the way out, shared by the portal and the letters.

The portal's pages and the letters must name the Housing Ombudsman, the
companion rule and the landlord's phone number the same way, so the wording
lives here, below both of them, as pure functions of the policy and the
organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from putright.accounts.contact import contact_details
from putright.accounts.models import Organisation, Role
from putright.procedure.policy import Policy

#: Each outcome of a point, as the leaflet explains it: (label, what it means).
OUTCOME_WORDS = {
    "upheld": ("Upheld", "we agree that we did something wrong"),
    "partially_upheld": ("Partially upheld", "we agree with some of this point"),
    "not_upheld": ("Not upheld", "we do not agree that we are at fault"),
}

#: The roles a customer meets, as the customer is told them.
ROLE_WORDS: dict[str, str] = {
    Role.RESOLUTION_OFFICER: "Resolution Officer",
    Role.SENIOR_MANAGER: "Senior Manager",
    Role.CUSTOMER_SERVICES: "Customer Services",
    Role.PANEL_MEMBER: "Appeal panel",
}

#: The Housing Ombudsman's details, when a policy does not give them.
OMBUDSMAN_DEFAULT = {
    "name": "Housing Ombudsman Service",
    "address": "PO Box 152, Liverpool L33 7WQ",
    "phone": "0300 111 3000",
    "email": "info@housing-ombudsman.org.uk",
    "website": "www.housing-ombudsman.org.uk",
}


@dataclass(frozen=True)
class Ombudsman:
    name: str
    address_lines: list[str]
    phone: str
    email: str
    website: str
    when: list[str]


def ombudsman_details(policy: Policy, when: list[str] | None = None) -> Ombudsman:
    """How to reach the Housing Ombudsman, from the policy (the service's own details where it says none).

    The one source for every public page and letter that names the Ombudsman.
    """
    rule = policy.ombudsman
    details = {key: getattr(rule, key, "") or default for key, default in OMBUDSMAN_DEFAULT.items()}
    return Ombudsman(
        name=details["name"],
        address_lines=[line.strip() for line in details["address"].split(",") if line.strip()],
        phone=details["phone"],
        email=details["email"],
        website=details["website"],
        when=when or [],
    )


def companion_words(policy: Policy) -> str:
    """Who the customer may bring to an appeal meeting, as the policy allows ("" if nobody)."""
    if policy.appeal is None or not policy.appeal.companion_allowed:
        return ""
    bring = "someone with you for support"
    if not policy.appeal.legal_representative_allowed:
        bring += ", but not a legal representative such as a solicitor"
    return f"You can bring {bring}."


def landlord_phone(organisation: Organisation | None) -> str:
    """The number a customer calls: the landlord's own, else its group's ("" if neither has one)."""
    return contact_details(organisation).phone if organisation is not None else ""
