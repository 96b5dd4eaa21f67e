"""Who a person signed in by the provider is, kept in step with their groups (issue 14, oidc).

The browser tests (tests/browser/test_oidc.py) go through a real provider; these drive the one
service with the claims such a provider sends, for what needs several sign-ins to show.
"""

from __future__ import annotations

import pytest

from putright.accounts.models import OidcIdentity, Organisation, OrganisationKind, Role, User
from putright.accounts.oidc import services
from putright.accounts.oidc.groups import GroupRule

ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"
RULES = (
    GroupRule(group="g-officers", role="resolution_officer", organisations=("VHT",), create_staff=True),
    GroupRule(group="g-managers", role="manager", organisations=("VHT", "FHL"), create_staff=False),
    GroupRule(group="g-typo", role="manager", organisations=("NOPE",), create_staff=False),
)


@pytest.fixture
def homes(org):
    return Organisation.objects.create(
        name="Flagship Homes", short_name="FHL", kind=OrganisationKind.LANDLORD, parent=org.parent
    )


def sign_in(sub: str, groups: list[str], email: str = "sam@example.org") -> User:
    claims = {"sub": sub, "email": email, "given_name": "Sam", "family_name": "Smith", "groups": groups}
    return services.sign_in(issuer=ISSUER, claims=claims, groups_claim="groups", rules=RULES)


def orgs(user: User) -> list[str]:
    return sorted(user.organisations.values_list("short_name", flat=True))


def test_role_and_organisations_follow_the_groups_at_every_sign_in(homes):
    sam = sign_in("s-1", ["g-officers"])
    assert (sam.role, orgs(sam)) == (Role.RESOLUTION_OFFICER, ["VHT"])
    sam = sign_in("s-1", ["g-managers"])
    assert (sam.role, orgs(sam)) == (Role.MANAGER, ["FHL", "VHT"])
    assert User.objects.count() == 1


def test_once_linked_the_subject_finds_the_person_after_their_email_changes(homes):
    sam = sign_in("s-1", ["g-officers"])
    again = sign_in("s-1", ["g-officers"], email="sam.smith@example.org")
    assert again.pk == sam.pk
    assert OidcIdentity.objects.get().subject == "s-1"


def test_an_account_already_linked_to_another_subject_is_refused(homes):
    sign_in("s-1", ["g-officers"])
    with pytest.raises(services.Refused, match="already linked"):
        sign_in("s-2", ["g-officers"])


def test_a_closed_account_is_refused_and_keeps_its_role(homes):
    User.objects.create_user(username="sam", email="SAM@example.org", role=Role.MANAGER, is_active=False)
    with pytest.raises(services.Refused, match="closed"):
        sign_in("s-1", ["g-officers"])
    assert User.objects.get(username="sam").role == Role.MANAGER
    assert not OidcIdentity.objects.exists()


def test_a_rule_naming_an_organisation_putright_lacks_refuses_and_changes_nothing(homes):
    User.objects.create_user(username="sam", email="sam@example.org", role=Role.CUSTOMER_SERVICES)
    with pytest.raises(services.Refused, match="NOPE"):
        sign_in("s-1", ["g-typo"])
    assert User.objects.get(username="sam").role == Role.CUSTOMER_SERVICES
    assert not OidcIdentity.objects.exists()


def test_an_administrator_from_the_groups_may_use_the_admin_site_and_loses_it_with_the_group(homes):
    rules = (GroupRule(group="g-admins", role="administrator", organisations=("VHT",), create_staff=True),)
    claims = {"sub": "s-9", "email": "ada@example.org", "groups": ["g-admins"]}
    ada = services.sign_in(issuer=ISSUER, claims=claims, groups_claim="groups", rules=rules)
    assert ada.is_staff and ada.role == Role.ADMINISTRATOR
    ada = services.sign_in(
        issuer=ISSUER, claims={**claims, "groups": ["g-officers"]}, groups_claim="groups", rules=RULES
    )
    assert not ada.is_staff and ada.role == Role.RESOLUTION_OFFICER


def test_entra_sign_in_name_is_used_when_there_is_no_email_claim(homes):
    claims = {"sub": "s-5", "preferred_username": "Kim@Example.org", "groups": ["g-officers"]}
    kim = services.sign_in(issuer=ISSUER, claims=claims, groups_claim="groups", rules=RULES)
    assert kim.email.lower() == "kim@example.org" and kim.username == "kim@example.org"
