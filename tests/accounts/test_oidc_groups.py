"""The landlord's rules from the provider's groups to roles and organisations (issue 14, oidc)."""

from __future__ import annotations

import pytest

from putright.accounts.oidc.groups import GroupRulesError, access_for, load_rules

RULES = """
[[group]]
id = "officers"
role = "resolution_officer"
organisations = ["VHT"]
create_staff = true

[[group]]
id = "managers"
role = "manager"
organisations = ["FG", "VHT"]
"""


def rules_from(tmp_path, text: str):
    path = tmp_path / "groups.toml"
    path.write_text(text)
    return load_rules(path)


def test_the_first_group_in_the_file_gives_the_role_and_the_organisations_are_joined(tmp_path):
    rules = rules_from(tmp_path, RULES)
    access = access_for(rules, ["managers", "canteen", "officers"])
    assert access is not None
    assert access.role == "resolution_officer"
    assert access.organisations == ("VHT", "FG")
    assert access.create_staff is True
    assert access.groups == ("officers", "managers")


def test_a_group_creates_staff_only_when_it_says_so(tmp_path):
    access = access_for(rules_from(tmp_path, RULES), ["managers"])
    assert access is not None and access.create_staff is False


def test_no_mapped_group_gives_nothing(tmp_path):
    assert access_for(rules_from(tmp_path, RULES), ["canteen"]) is None
    assert access_for(rules_from(tmp_path, RULES), []) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[group]]\nid = "x"\nrole = "boss"\n', "group 1 (x): 'role' must be one of customer_services"),
        ('[[group]]\nid = "x"\nrole = "manager"\nrights = 1\n', "group 1: unknown field 'rights'"),
        ('[[group]]\nrole = "manager"\n', "group 1: 'id' must be the group's id"),
        (
            '[[group]]\nid = "x"\nrole = "manager"\ncreate_staff = "yes"\n',
            "'create_staff' must be true or false",
        ),
        ('[[group]]\nid = "x"\nrole = "manager"\norganisations = "VHT"\n', "'organisations' must be a list"),
        ('[[group]]\nid = "x"\nrole = "manager"\n[[group]]\nid = "x"\nrole = "manager"\n', "listed twice"),
        ("title = 'no groups'\n", "has no [[group]] tables"),
        ("[[group]\n", "is not valid TOML"),
    ],
)
def test_a_mistake_in_the_rules_is_named(tmp_path, text, message):
    with pytest.raises(GroupRulesError, match=None) as refused:
        rules_from(tmp_path, text)
    assert message in str(refused.value)
    assert str(refused.value).startswith("PUTRIGHT_OIDC_GROUPS:")


def test_a_missing_rules_file_is_named(tmp_path):
    with pytest.raises(GroupRulesError, match="cannot read"):
        load_rules(tmp_path / "nowhere.toml")


def test_the_shipped_example_rules_load():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "docs" / "going-live" / "oidc-groups.toml"
    rules = load_rules(example)
    assert [rule.role for rule in rules][:2] == ["administrator", "senior_manager"]
