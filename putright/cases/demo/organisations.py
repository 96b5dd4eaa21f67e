"""The Flagship Group, its companies, teams and staff, as the seed procedure names them.

Creating them again updates them in place, so the demo can be loaded more
than once. Staff names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from putright.accounts.models import HomesCount, Organisation, OrganisationKind, Role, StockType, Team, User

GROUP = "FG"
LANDLORDS = ("FH", "SH", "VHT")
VIEWERS_GROUP = "Demo staff (view only)"

# (name, short name, kind, homes). The number of homes of each landlord is
# illustrative, of the right order for the group, not a published figure;
# the group's homes are its landlords', so it counts none itself.
ORGANISATIONS = (
    ("Flagship Group", GROUP, OrganisationKind.GROUP, 0),
    ("Flagship Homes", "FH", OrganisationKind.LANDLORD, 24_000),
    ("Suffolk Housing", "SH", OrganisationKind.LANDLORD, 3_500),
    ("Victory Housing Trust", "VHT", OrganisationKind.LANDLORD, 5_000),
    ("Flagship Housing Development", "FHD", OrganisationKind.DEVELOPMENT, 0),
    ("Gasway Services", "GAS", OrganisationKind.SERVICE, 0),
    ("RFT Services", "RFT", OrganisationKind.SERVICE, 0),
)
#: Contact details, so that every demo letter is complete. Victory's are the leaflet's; the
#: others are illustrative (phone numbers from Ofcom's range kept for drama, addresses on
#: ``.example``), not published details. The service and development companies print the
#: group's, which they inherit (``accounts.contact``).
CONTACT = {
    GROUP: {
        "address": "31 King Street, Norwich NR1 1PD",
        "phone": "0808 157 0001",
        "email": "complaints@flagship-group.example",
        "website": "www.flagship-group.example",
    },
    "FH": {
        "address": "Keswick Hall, Norwich NR4 6TJ",
        "phone": "0808 157 0002",
        "email": "complaints@flagship-homes.example",
        "website": "www.flagship-homes.example",
    },
    "SH": {
        "address": "Ipswich Road, Woodbridge IP12 4BY",
        "phone": "0808 157 0003",
        "email": "complaints@suffolk-housing.example",
        "website": "www.suffolk-housing.example",
    },
    "VHT": {
        "address": "Tom Moore House, Cromer Road, North Walsham NR28 0NB",
        "phone": "0800 371 860",
        "email": "info@victoryhousing.co.uk",
        "website": "www.victoryhousing.co.uk",
    },
}
#: Service companies carry out work for the group's landlords: "those acting on our behalf".
ACTING_FOR_GROUP = ("GAS", "RFT")

LANDLORD_TEAMS = ("Learning and Resolution Team", "Customer Services")
GROUP_TEAMS = (
    "Senior Managers",
    "Tenants Experience Group",
    "Safeguarding",
    "Health and Safety",
    "Customer Engagement",
    # The procedure's Learning and Resolution Team serves the whole group: its group-wide
    # officer can see every company's complaints, including those with no officer of their own.
    "Learning and Resolution Team",
)


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    role: Role
    job_title: str
    organisation: str  # short name: whose complaints they see (a group sees its subsidiaries')
    team: str
    lead: bool = False
    panel_role: str = ""  # for panel members: board_member, resident or executive


RO, CS = Role.RESOLUTION_OFFICER, Role.CUSTOMER_SERVICES
LRT, CST = LANDLORD_TEAMS
STAFF = (
    StaffMember("amelia.hart", "Amelia", "Hart", RO, "Resolution Officer (team leader)", "FH", LRT, True),
    StaffMember("daniel.okafor", "Daniel", "Okafor", RO, "Resolution Officer", "FH", LRT),
    StaffMember("zofia.nowak", "Zofia", "Nowak", RO, "Resolution Officer", "FH", LRT),
    StaffMember("chloe.barker", "Chloe", "Barker", CS, "Customer Services team leader", "FH", CST, True),
    StaffMember("ryan.gibbs", "Ryan", "Gibbs", CS, "Customer Services Advisor", "FH", CST),
    StaffMember("hannah.pryce", "Hannah", "Pryce", RO, "Resolution Officer (team leader)", "SH", LRT, True),
    StaffMember("tom.ashworth", "Tom", "Ashworth", RO, "Resolution Officer", "SH", LRT),
    StaffMember("leanne.cole", "Leanne", "Cole", CS, "Customer Services Advisor", "SH", CST, True),
    StaffMember("grace.mills", "Grace", "Mills", RO, "Resolution Officer (team leader)", "VHT", LRT, True),
    StaffMember("sunil.varma", "Sunil", "Varma", RO, "Resolution Officer", "VHT", LRT),
    StaffMember("kirsty.dunn", "Kirsty", "Dunn", CS, "Customer Services Advisor", "VHT", CST, True),
    StaffMember(
        "nadia.rahman", "Nadia", "Rahman", RO, "Learning and Resolution Manager", GROUP,
        "Learning and Resolution Team", True,
    ),
    StaffMember(
        "rachel.turner", "Rachel", "Turner", Role.SENIOR_MANAGER, "Head of Housing Services", GROUP,
        "Senior Managers", True,
    ),
    StaffMember(
        "mark.ellison", "Mark", "Ellison", Role.SENIOR_MANAGER, "Head of Property Services", GROUP,
        "Senior Managers",
    ),
    StaffMember(
        "joanne.baptiste", "Joanne", "Baptiste", Role.SENIOR_MANAGER, "Head of Customer Experience", GROUP,
        "Senior Managers",
    ),
    StaffMember(
        "margaret.lowe", "Margaret", "Lowe", Role.PANEL_MEMBER, "Board member, Tenants Experience Group",
        GROUP, "Tenants Experience Group", True, "board_member",
    ),
    StaffMember(
        "derek.simmons", "Derek", "Simmons", Role.PANEL_MEMBER, "Resident member, Tenants Experience Group",
        GROUP, "Tenants Experience Group", panel_role="resident",
    ),
    StaffMember(
        "patience.adeyemi", "Patience", "Adeyemi", Role.PANEL_MEMBER,
        "Resident member, Tenants Experience Group", GROUP, "Tenants Experience Group", panel_role="resident",
    ),
    StaffMember(
        "james.whitlock", "James", "Whitlock", Role.PANEL_MEMBER, "Executive Director of Operations", GROUP,
        "Tenants Experience Group", panel_role="executive",
    ),
    StaffMember(
        "fiona.mcallister", "Fiona", "McAllister", Role.SAFEGUARDING_LEAD, "Safeguarding Lead", GROUP,
        "Safeguarding", True,
    ),
    StaffMember(
        "gareth.price", "Gareth", "Price", Role.HEALTH_SAFETY_LEAD, "Head of Health and Safety", GROUP,
        "Health and Safety", True,
    ),
    StaffMember(
        "catherine.wells", "Catherine", "Wells", Role.MANAGER, "Director of Customer Engagement", GROUP,
        "Customer Engagement", True,
    ),
    StaffMember(
        "oliver.brandon", "Oliver", "Brandon", Role.MANAGER, "Board member (Customer Committee)", GROUP,
        "Customer Engagement",
    ),
    StaffMember(
        "admin", "Priya", "Shah", Role.ADMINISTRATOR, "Complaints systems administrator", GROUP,
        "Customer Engagement",
    ),
)  # fmt: skip


@dataclass
class Staff:
    """The demo's people, looked up by role and organisation."""

    organisations: dict[str, Organisation]
    users: dict[str, User]
    panel: dict[str, list[User]] = field(default_factory=dict)

    def of(self, role: Role, short_name: str = GROUP) -> list[User]:
        return [self.users[s.username] for s in STAFF if s.role == role and s.organisation == short_name]

    def lead(self, role: Role) -> User:
        return self.of(role)[0]


def ensure_organisations() -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for name, short, kind, homes in ORGANISATIONS:
        parent = None if short == GROUP else found[GROUP]
        acting_for = found[GROUP] if short in ACTING_FOR_GROUP else None
        found[short], _ = Organisation.objects.update_or_create(
            short_name=short,
            defaults={
                "name": name,
                "kind": kind,
                "parent": parent,
                "acting_for": acting_for,
                "homes": homes,
                **CONTACT.get(short, {}),
            },
        )
    ensure_homes(found)  # issue 13, tsm
    return found


# issue 13, tsm: homes per stock type and reporting year, for the TSM's CH01. Illustrative: each
# landlord's homes above, about one in ten of them shared ownership or leasehold (LCHO), the
# stock growing by about one per cent a year up to this year.
HOMES_YEARS = 4
LCHO_SHARE = 0.1
GROWTH = 0.01


def ensure_homes(found: dict[str, Organisation]) -> None:
    """Each demo landlord's homes for this reporting year and the ones before it."""
    today = timezone.localdate()
    latest = today.year if today.month >= 4 else today.year - 1
    for _name, short, kind, homes in ORGANISATIONS:
        if kind != OrganisationKind.LANDLORD:
            continue
        for back in range(HOMES_YEARS):
            total = round(homes * (1 - GROWTH) ** back)
            lcho = round(total * LCHO_SHARE)
            for stock, count in ((StockType.LCRA, total - lcho), (StockType.LCHO, lcho)):
                HomesCount.objects.update_or_create(
                    organisation=found[short], stock_type=stock, year=latest - back, defaults={"homes": count}
                )


def ensure_staff(password: str) -> Staff:
    """Organisations, teams and every demo account, all with the one demo password."""
    organisations = ensure_organisations()
    teams = {}
    for short in LANDLORDS:
        for name in LANDLORD_TEAMS:
            teams[short, name], _ = Team.objects.get_or_create(organisation=organisations[short], name=name)
    for name in GROUP_TEAMS:
        teams[GROUP, name], _ = Team.objects.get_or_create(organisation=organisations[GROUP], name=name)
    hashed = make_password(password)  # hashed once: the same slow hash for every account
    viewers = _viewers_group()
    users: dict[str, User] = {}
    staff = Staff(organisations, users)
    for member in STAFF:
        admin = member.role == Role.ADMINISTRATOR
        team = teams[member.organisation, member.team]
        user, _ = User.objects.update_or_create(
            username=member.username,
            defaults={
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": f"{member.username}@example.com",
                "role": member.role,
                "job_title": member.job_title,
                "team": team,
                "is_staff": True,  # the Django admin is the only staff interface for now
                "is_superuser": admin,
                "is_active": True,
                "password": hashed,
            },
        )
        user.organisations.set([organisations[member.organisation]])
        user.groups.set([] if admin else [viewers])
        if member.lead and team.lead_id != user.pk:
            team.lead = user
            team.save(update_fields=["lead"])
        users[member.username] = user
        if member.panel_role:
            staff.panel.setdefault(member.panel_role, []).append(user)
    return staff


def _viewers_group() -> Group:
    """Staff who are not administrators may look at (not change) the records in the admin."""
    group, _ = Group.objects.get_or_create(name=VIEWERS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            codename__startswith="view_", content_type__app_label__in=["cases", "accounts"]
        )
    )
    return group
