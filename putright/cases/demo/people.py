"""Made-up customers and the people who act for them, created through the customer services.

Names are invented; streets are common English street names with real
towns and postcode districts, so an address looks right without being anyone's.
Phone numbers are from Ofcom's ranges reserved for drama (07700 900000 to
900999), and email addresses use example.com, so no demo message can reach
a real person.
"""

from __future__ import annotations

import datetime as dt
import random

from putright.accounts.models import Organisation
from putright.cases.models import (
    AdjustmentKind,
    ContactPreference,
    Customer,
    Representative,
    RepresentativeKind,
    Tenure,
)
from putright.cases.services.customers import add_representative, create_customer

WOMEN = (
    "Abigail", "Agnieszka", "Amy", "Barbara", "Bethany", "Carol", "Charlotte", "Dawn", "Deborah", "Donna",
    "Eileen", "Emma", "Gemma", "Hayley", "Jade", "Joan", "Karen", "Kerry", "Lisa", "Margaret", "Maria",
    "Natalie", "Nicola", "Pauline", "Rebecca", "Rita", "Ruta", "Samantha", "Sharon", "Stacey", "Tracey",
    "Yvonne",
)  # fmt: skip
MEN = (
    "Aaron", "Alan", "Andrius", "Bogdan", "Brian", "Craig", "Dean", "Gary", "Graham", "Ian", "Jason",
    "Keith", "Lee", "Marek", "Mohammed", "Paul", "Ryan", "Shaun", "Stephen", "Tiago", "Wayne",
)  # fmt: skip
LAST_NAMES = (
    "Allen", "Bailey", "Barnes", "Bennett", "Brooks", "Chapman", "Clarke", "Cooper", "Cox", "Dawson",
    "Dixon", "Ellis", "Fisher", "Fletcher", "Ford", "Gray", "Hall", "Harris", "Howard", "Hughes", "Hunt",
    "Jarvis", "Kaminski", "Kazlauskas", "Knight", "Lambert", "Lewis", "Marsh", "Mason", "Mills", "Moore",
    "Nowicki", "Oliveira", "Page", "Palmer", "Parker", "Pearce", "Read", "Reeve", "Rix", "Sadiq",
    "Saunders", "Smith", "Spencer", "Thrower", "Thurston", "Turner", "Ward", "Webb", "Wright", "Youngs",
)  # fmt: skip
STREETS = (
    "Mill Road", "Church Lane", "Station Road", "The Street", "Chapel Close", "Orchard Way", "Queens Road",
    "Victoria Street", "Meadow Close", "School Lane", "Beech Drive", "Windmill Close", "Park Road",
    "Long Lane", "St Mary's Way", "Greenfields", "Cedar Court", "Wherry Road", "Norwich Road", "Kings Walk",
)  # fmt: skip
#: Towns and postcode districts each landlord works in, for plausible addresses.
PLACES = {
    "FH": (
        ("Norwich", "NR3"), ("Norwich", "NR5"), ("Great Yarmouth", "NR30"), ("King's Lynn", "PE30"),
        ("Thetford", "IP24"), ("Colchester", "CO4"), ("Peterborough", "PE1"), ("Dereham", "NR19"),
    ),
    "SH": (("Ipswich", "IP1"), ("Ipswich", "IP3"), ("Lowestoft", "NR32"), ("Sudbury", "CO10")),
    "VHT": (
        ("North Walsham", "NR28"), ("Cromer", "NR27"), ("Fakenham", "NR21"), ("Aylsham", "NR11"),
        ("Holt", "NR25"),
    ),
}  # fmt: skip
#: A constituency for the designated person (an MP) of each landlord's customers.
CONSTITUENCIES = {"FH": "Norwich North", "SH": "Ipswich", "VHT": "North Norfolk"}
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
ADJUSTMENTS = (
    (AdjustmentKind.LARGE_PRINT, "14 point or larger"),
    (AdjustmentKind.OTHER_LANGUAGE, "Polish"),
    (AdjustmentKind.OTHER_LANGUAGE, "Lithuanian"),
    (AdjustmentKind.OTHER_LANGUAGE, "Portuguese"),
    (AdjustmentKind.PREFERRED_TIME, "Not before 11am (works nights)"),
    (AdjustmentKind.BSL_INTERPRETER, "For any meeting or visit"),
    (AdjustmentKind.EASY_READ, "Letters in easy read, with a call to explain them"),
    (AdjustmentKind.OTHER, "Call her son first; she has early-stage dementia"),
)


def new_customer(rng: random.Random, organisation: Organisation, serial: int, tenure: str = "") -> Customer:
    """A customer of ``organisation`` with contact details, preferences and sometimes adjustments."""
    woman = rng.random() < 0.6
    first, last = rng.choice(WOMEN if woman else MEN), rng.choice(LAST_NAMES)
    title = rng.choice(["Mrs", "Ms", "Miss", ""] if woman else ["Mr", "Mr", ""])
    title = "Mx" if rng.random() < 0.03 else title
    town, district = rng.choice(PLACES.get(organisation.short_name, PLACES["FH"]))
    postcode = f"{district} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    email = f"{first}.{last}{serial}@example.com".lower() if rng.random() < 0.7 else ""
    choices = [ContactPreference.PHONE, ContactPreference.LETTER, ContactPreference.TEXT]
    preferred = ContactPreference.EMAIL if email and rng.random() < 0.5 else rng.choice(choices)
    tenure = (
        tenure
        or rng.choices(
            [Tenure.TENANT, Tenure.LEASEHOLDER, Tenure.SHARED_OWNER, Tenure.APPLICANT], [84, 7, 6, 3]
        )[0]
    )
    adjustments = [rng.choice(ADJUSTMENTS)] if rng.random() < 0.12 else []
    return create_customer(
        organisation=organisation,
        title=title,
        first_name=first,
        last_name=last,
        email=email,
        phone=f"07700 900{rng.randint(0, 999):03d}",
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}\n{town}",
        postcode=postcode,
        tenure=tenure,
        tenancy_reference="" if tenure == Tenure.APPLICANT else f"{organisation.short_name}-{serial:06d}",
        preferred_contact=preferred,
        preferred_contact_time=rng.choice(["", "", "", "Mornings", "After 5pm", "Not on Fridays"]),
        adjustments=adjustments,
    )


def designated_person(customer: Customer, consent_at: dt.datetime, *, councillor: bool) -> Representative:
    """An MP or councillor acting for the customer under the Localism Act, with consent."""
    area = CONSTITUENCIES.get(customer.organisation.short_name, "North Norfolk")
    name, role = (
        ("Cllr Jan Hollis", "County councillor for the customer's division")
        if councillor
        else ("Helen Marsh MP", f"Member of Parliament for {area}")
    )
    return add_representative(
        customer=customer,
        name=name,
        kind=RepresentativeKind.DESIGNATED_PERSON,
        role=role,
        email=f"caseworker.{'cllr' if councillor else 'mp'}@example.com",
        consent_given_at=consent_at,
        consent_how="Signed consent form sent with the designated person's first letter",
    )


def helper(rng: random.Random, customer: Customer, consent_at: dt.datetime) -> Representative:
    """A family member or an advocate helping the customer, with consent."""
    family = rng.random() < 0.6
    return add_representative(
        customer=customer,
        name=f"{rng.choice(WOMEN)} {customer.last_name if family else rng.choice(LAST_NAMES)}",
        kind=RepresentativeKind.FAMILY_OR_FRIEND if family else RepresentativeKind.ADVOCATE,
        role="Daughter" if family else "Independent advocate, local advocacy service",
        phone=f"07700 900{rng.randint(0, 999):03d}",
        consent_given_at=consent_at,
        consent_how="Told us by phone, confirmed in writing" if family else "Signed authority form",
    )
