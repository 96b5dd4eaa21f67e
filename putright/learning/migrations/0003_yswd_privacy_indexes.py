"""Indexes for the personal-data check: names and address lines looked up in lower case.

They index other apps' tables (customers, representatives, staff), so they are made
here with SQL rather than in those apps' models: ``cases`` and ``accounts`` know
nothing of the check. On PostgreSQL an address is indexed with ``text_pattern_ops`` so
that a prefix (``LIKE '12 acacia avenue%'``) is served by it whatever the collation.
"""

from django.db import migrations

#: (index name, table, column, a prefix is searched)
INDEXES = [
    ("privacy_customer_first", "cases_customer", "first_name", False),
    ("privacy_customer_last", "cases_customer", "last_name", False),
    ("privacy_customer_address", "cases_customer", "address", True),
    ("privacy_representative_name", "cases_representative", "name", False),
    ("privacy_representative_addr", "cases_representative", "address", True),
    ("privacy_user_first", "accounts_user", "first_name", False),
    ("privacy_user_last", "accounts_user", "last_name", False),
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, table, column, prefix in INDEXES:
        ops = " text_pattern_ops" if prefix and postgres else ""
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ((LOWER("{column}")){ops})')


def drop(apps, schema_editor):
    for name, *_ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_default_lists"),
        ("cases", "0013_timeline_kinds_of_issue_12"),
        ("accounts", "0004_organisation_logo"),
    ]

    operations = [migrations.RunPython(create, drop)]
