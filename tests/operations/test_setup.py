"""``putright setup FILE``: the shipped example on an empty database, a second run, a changed
field, a file full of mistakes, and a new member of staff following their invitation."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from putright.accounts.models import HomesCount, Organisation, Role, Team, User
from putright.comms.email import delivery
from putright.comms.models import OutboundEmail
from putright.procedure import loader
from tests.conftest import OUTBOX

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "landlord.example.toml"
NEW_PASSWORD = "a-long-new-password-for-work"


@pytest.fixture
def landlord_file(settings, tmp_path) -> Path:
    """A copy of the shipped example (with its logos), and setup's files kept in ``tmp_path``."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANDLORD_POLICY_FILE = tmp_path / "data" / "policy.toml"
    settings.EMAIL_BACKEND = OUTBOX
    folder = tmp_path / "landlord"
    shutil.copytree(EXAMPLE.parent, folder)
    return folder / EXAMPLE.name


def setup(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("setup", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    """Everything setup may write, as values, to compare before and after a run."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "homes": list(HomesCount.objects.order_by("pk").values()),
        "teams": list(Team.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "memberships": list(User.organisations.through.objects.order_by("pk").values()),
        "emails": OutboundEmail.objects.count(),
    }


def test_the_example_makes_the_group_its_landlords_contractor_teams_staff_and_policy(landlord_file, settings):
    output = setup(landlord_file)

    group, homes, coast, repairs = (
        Organisation.objects.get(short_name=s) for s in ("EG", "EH", "NCH", "ERS")
    )
    assert (group.name, group.kind, group.parent) == ("Eastward Housing Group", "group", None)
    assert group.address == "Eastward House\n1 Harbour Road\nNorwich\nNR1 1AA"
    assert (group.phone, group.email, group.website) == (
        "0300 123 4567",
        "complaints@eastward.example",
        "https://www.eastward.example",
    )
    assert (homes.parent, coast.parent, repairs.acting_for, repairs.kind) == (
        group,
        group,
        homes,
        "contractor",
    )
    assert homes.logo.read() == (landlord_file.parent / "logos" / "eastward-homes.png").read_bytes()
    assert sorted(
        HomesCount.objects.values_list("organisation__short_name", "stock_type", "year", "homes")
    ) == [
        ("BH", "lcra", 2025, 2150),
        ("EH", "lcho", 2025, 1210),
        ("EH", "lcra", 2025, 11840),
        ("NCH", "lcra", 2025, 4320),
    ]
    assert sorted(
        (t.organisation.short_name, t.name, t.lead and t.lead.username) for t in Team.objects.all()
    ) == [
        ("EG", "Customer Resolution Team", "aokafor"),
        ("EH", "Customer Services", "bmills"),
        ("NCH", "Housing Management", None),
    ]
    ben = User.objects.get(username="bmills")
    assert (ben.role, ben.job_title, ben.team.name, list(ben.organisations.all())) == (
        Role.RESOLUTION_OFFICER,
        "Customer Resolution Officer",
        "Customer Services",
        [homes],
    )
    assert not ben.has_usable_password() and not ben.is_staff
    dan = User.objects.get(username="dwright")
    assert dan.role == Role.ADMINISTRATOR and dan.is_staff and dan.is_superuser  # the admin is theirs to use

    invited = sorted(address for e in OutboundEmail.objects.filter(purpose="invitation") for address in e.to)
    assert invited == sorted(u.email for u in User.objects.all())
    assert "Staff invited by email" in output

    policy = loader.load(settings.LANDLORD_POLICY_FILE).policy
    assert (policy.policy.name, policy.version) == (loader.load("code-2024").policy.policy.name, "2.2.1")
    assert [d.isoformat() for d in policy.calendar.closure_days] == ["2026-12-29", "2026-12-30", "2026-12-31"]


def test_a_second_run_changes_nothing_and_sends_no_second_email(landlord_file, settings):
    setup(landlord_file)
    before, policy_text = snapshot(), settings.LANDLORD_POLICY_FILE.read_text()

    assert setup(landlord_file).strip() == "Nothing to change: the database already says what the file says."
    assert snapshot() == before
    assert settings.LANDLORD_POLICY_FILE.read_text() == policy_text


def test_a_dry_run_prints_the_plan_and_changes_nothing(landlord_file, settings, tmp_path):
    output = setup(landlord_file, "--dry-run")

    assert "Would change" in output
    assert "organisation EH: parent '' → EG" in output and "staff dwright created" in output
    assert "policy 2.2.1 written" in output
    assert snapshot() == {k: [] for k in ("organisations", "homes", "teams", "users", "memberships")} | {
        "emails": 0
    }
    assert not settings.LANDLORD_POLICY_FILE.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.png"))


def test_a_changed_field_changes_only_that_and_leaves_what_the_file_does_not_name(landlord_file):
    setup(landlord_file)
    # Made in the admin, not named by the file: a member of staff, and an organisation's website.
    zoe = User.objects.create_user(username="zthomas", email="zoe@eastward.example", role=Role.MANAGER)
    zoe.organisations.add(Organisation.objects.get(short_name="EG"))
    Organisation.objects.filter(short_name="NCH").update(website="https://northcoast.example")
    before = snapshot()

    text = landlord_file.read_text()
    landlord_file.write_text(text.replace('phone = "0300 123 4600"', 'phone = "0300 999 0000"'))
    output = setup(landlord_file)

    assert output.splitlines()[1:] == ["  organisation NCH: phone '0300 123 4600' → '0300 999 0000'"]
    after = snapshot()
    changed = [
        (i, key)
        for i, (old, new) in enumerate(zip(before["organisations"], after["organisations"], strict=True))
        for key in old
        if old[key] != new[key]
    ]
    assert [(after["organisations"][i]["short_name"], key) for i, key in changed] == [("NCH", "phone")]
    assert {k: v for k, v in after.items() if k != "organisations"} == {
        k: v for k, v in before.items() if k != "organisations"
    }
    assert Organisation.objects.get(short_name="NCH").website == "https://northcoast.example"
    assert User.objects.get(username="zthomas").organisations.get().short_name == "EG"


MISTAKES = """
[policy]
base = "flagship"
closure_days = ["2026-02-30"]            # MISTAKE policy.closure_days[1]: not a date

[[organisations]]
short_name = "EG"
name = "Eastward Housing Group"
kind = "group"
colour = "teal"                          # MISTAKE organisations[1].colour: not a key

[[organisations]]
short_name = "EH"
name = "Eastward Homes"
kind = "landlord"
parent = "EX"                            # MISTAKE organisations[2].parent: no such organisation
logo = "logos/missing.png"               # MISTAKE organisations[2].logo: no such file

[[organisations]]
short_name = "EG"                        # MISTAKE organisations[3].short_name: used twice
name = "Eastward Group Again"
kind = "group"

[[organisations.homes]]
year = 2025
stock_type = "lcra"
homes = "lots"                           # MISTAKE organisations[3].homes[1].homes: not a number

[[teams]]
organisation = "EH"
name = "Customer Services"
lead = "nobody"                          # MISTAKE teams[1].lead: no such member of staff

[[staff]]
username = "bmills"
email = "ben.mills@eastward.example"
first_name = "Ben"
last_name = "Mills"
role = "boss"                            # MISTAKE staff[1].role: not a role
"""


def test_every_mistake_is_reported_with_its_line_and_nothing_is_applied(landlord_file, settings):
    landlord_file.write_text(MISTAKES)
    expected = [
        (number, line.split("# MISTAKE ", 1)[1].split(":", 1)[0])
        for number, line in enumerate(MISTAKES.splitlines(), start=1)
        if "# MISTAKE " in line
    ]

    with pytest.raises(CommandError) as refused:
        setup(landlord_file)

    assert refused.value.returncode == 2
    message = str(refused.value)
    assert f"{len(expected)} mistakes, nothing was changed" in message
    reported = re.findall(r"^  line (\d+), ([^:]+):", message, flags=re.MULTILINE)
    assert [(int(line), where) for line, where in reported] == expected
    assert "'boss'" in message and "'EX'" in message and "'nobody'" in message and "missing.png" in message
    assert snapshot() == {k: [] for k in ("organisations", "homes", "teams", "users", "memberships")} | {
        "emails": 0
    }
    assert not settings.LANDLORD_POLICY_FILE.exists()


def _invitation_path(messages, address: str) -> str:
    [message] = [m for m in messages if m["To"] == address]
    assert message["Subject"].startswith("Your account on")
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"(http\S+/invitation/\S+/)", body)
    assert link, body
    return urlsplit(link.group(1)).path


def _choose_password(client: Client, path: str) -> str:
    form = client.get(path, follow=True)
    assert "Choose your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    return done.content.decode()


def _sign_in(client: Client, username: str):
    return client.post(reverse("web:sign-in"), {"username": username, "password": NEW_PASSWORD})


def test_invited_staff_choose_a_password_from_the_email_and_an_administrator_then_sets_up_a_code(
    landlord_file, smtp_server
):
    setup(landlord_file)
    assert delivery.deliver_due()["sent"] == 4  # as the worker delivers it, over SMTP on loopback

    ben_link = _invitation_path(smtp_server.messages, "ben.mills@eastward.example")
    page = _choose_password(Client(), ben_link)
    assert "Your password is set. Sign in with your username, bmills" in page
    signed_in = _sign_in(client := Client(), "bmills")
    assert signed_in.status_code == 302 and signed_in.url == reverse("web:home")
    assert client.get(reverse("web:account")).status_code == 200
    again = Client().get(ben_link, follow=True)
    assert "This link does not work" in again.content.decode()  # an invitation works once

    dan_email = next(m for m in smtp_server.messages if m["To"] == "dan.wright@eastward.example")
    assert "authenticator app" in dan_email.get_body(("plain",)).get_content()
    page = _choose_password(Client(), _invitation_path(smtp_server.messages, "dan.wright@eastward.example"))
    assert "administrators must use one" in page
    signed_in = _sign_in(client := Client(), "dwright")
    assert signed_in.status_code == 302 and urlsplit(signed_in.url).path == reverse("web:two-factor")
    code_page = client.get(signed_in.url).content.decode()
    assert "data:image/svg+xml" in code_page  # the QR code to set up the app with
    assert client.get(reverse("admin:index")).status_code == 302  # no admin before the code


def test_an_existing_member_of_staff_is_invited_again_only_when_asked(landlord_file):
    setup(landlord_file)
    assert OutboundEmail.objects.filter(purpose="invitation").count() == 4
    output = setup(landlord_file, "--reinvite", "cshah")
    assert "invitation sent again to cshah" in output
    assert list(OutboundEmail.objects.order_by("-pk").values_list("to", flat=True)[:1]) == [
        ["chloe.shah@eastward.example"]
    ]
    with pytest.raises(CommandError, match="no member of staff 'nobody'"):
        setup(landlord_file, "--reinvite", "nobody")


def test_changed_closure_days_make_a_new_edition_and_old_ones_are_reused(landlord_file, settings):
    from putright.cases.policies import _load, register_current_policy

    setup(landlord_file)
    settings.PUTRIGHT_POLICY = str(settings.LANDLORD_POLICY_FILE)
    _load.cache_clear()
    assert register_current_policy().version == "2.2.1"  # complaints were opened under it

    text = landlord_file.read_text()
    landlord_file.write_text(text.replace("2026-12-31]", "2026-12-31, 2027-01-04]"))
    assert "policy 2.2.2 written" in setup(landlord_file)
    _load.cache_clear()
    assert register_current_policy().version == "2.2.2"  # a new version: no PolicyChangedWithoutNewVersion

    landlord_file.write_text(text)
    assert "policy 2.2.1 written" in setup(landlord_file)  # the text complaints already have
    _load.cache_clear()
    assert register_current_policy().version == "2.2.1"
    _load.cache_clear()


def test_the_policy_setup_wrote_is_in_force_unless_putright_policy_says_otherwise(landlord_file, tmp_path):
    """Settings read DATA_DIR/policy.toml when PUTRIGHT_POLICY is not set: a real process shows it."""
    from putright.operations.landlord_policy import base_policy, local_policy, write_policy

    data = tmp_path / "data"
    policy = local_policy(base_policy("flagship", relative_to=tmp_path), [], target=data / "policy.toml")
    write_policy(policy, data / "policy.toml")
    env = {k: v for k, v in os.environ.items() if k != "PUTRIGHT_POLICY"} | {"PUTRIGHT_DATA_DIR": str(data)}

    def check(**extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "putright", "policy", "check"],
            env=env | extra,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[1]

    assert check() == f"Source: {data / 'policy.toml'}"
    assert check(PUTRIGHT_POLICY="code-2024") == "Source: code-2024"


def test_what_setup_made_stays_editable_in_the_admin(landlord_file):
    """The administrator the file made edits the same records in the admin, homes counts included."""
    from tests.conftest import sign_in_with_code

    setup(landlord_file)
    client = Client()
    sign_in_with_code(client, User.objects.get(username="dwright"))
    homes = Organisation.objects.get(short_name="EH")
    page = client.get(reverse("admin:accounts_organisation_change", args=[homes.pk]))
    assert page.status_code == 200 and "11840" in page.content.decode()
    ben = User.objects.get(username="bmills")
    assert client.get(reverse("admin:accounts_user_change", args=[ben.pk])).status_code == 200
    team = Team.objects.get(name="Customer Services")
    assert client.get(reverse("admin:accounts_team_change", args=[team.pk])).status_code == 200


def test_the_admin_site_goes_with_the_administrator_role(landlord_file):
    setup(landlord_file)
    text = landlord_file.read_text()
    swapped = text.replace('role = "administrator"', 'role = "manager"').replace(
        'role = "customer_services"', 'role = "administrator"'
    )
    landlord_file.write_text(swapped)

    output = setup(landlord_file)

    dan, chloe = User.objects.get(username="dwright"), User.objects.get(username="cshah")
    assert (dan.role, dan.is_staff, dan.is_superuser) == (Role.MANAGER, False, False)
    assert (chloe.role, chloe.is_staff, chloe.is_superuser) == (Role.ADMINISTRATOR, True, True)
    assert "staff dwright: is_superuser True → False" in output
    assert OutboundEmail.objects.filter(purpose="invitation").count() == 4  # no one new, no one invited


def test_a_policy_of_the_landlords_own_is_checked_by_the_policy_loader_first(landlord_file, settings):
    own = (Path(loader.__file__).parent / "policies" / "flagship.toml").read_text()
    (landlord_file.parent / "our-policy.toml").write_text(own.replace('version = "1.2"', 'version = "4.0"'))
    (landlord_file.parent / "broken-policy.toml").write_text(own.replace("[stage1]", "[stage_one]"))
    text = landlord_file.read_text()
    base_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("base = "))

    landlord_file.write_text(text.replace('base = "code-2024"', 'base = "broken-policy.toml"'))
    with pytest.raises(CommandError) as refused:
        setup(landlord_file)
    assert f"line {base_line}, policy.base: " in str(refused.value) and "stage1" in str(refused.value)
    assert not Organisation.objects.exists()

    landlord_file.write_text(text.replace('base = "code-2024"', 'base = "our-policy.toml"'))
    assert "policy 4.0.1 written" in setup(landlord_file)
    assert loader.load(settings.LANDLORD_POLICY_FILE).policy.version == "4.0.1"
