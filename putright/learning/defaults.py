"""The lists putright starts with: a taxonomy for social housing, and the usual root causes.

An administrator adds, renames, retires and merges from here on; the data
migration that loads these never runs again, so their changes stay theirs.
"""

from __future__ import annotations

from typing import Any

#: (key, name, sub-themes as (key, name)).
THEMES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "repairs",
        "Repairs",
        (
            ("responsive_repairs", "Responsive repairs"),
            ("damp_and_mould", "Damp and mould"),
            ("heating_and_hot_water", "Heating and hot water"),
            ("leaks", "Leaks"),
            ("gas", "Gas"),
            ("electrical", "Electrical"),
            ("planned_works", "Planned works"),
        ),
    ),
    ("asb_handling", "Anti-social behaviour handling", ()),
    ("neighbourhood", "Neighbourhood and estate services", ()),
    ("communication", "Communication and information", ()),
    ("staff_conduct", "Staff conduct", ()),
    ("rent_and_charges", "Rent, service charges and payments", ()),
    ("lettings", "Lettings and allocations", ()),
    ("tenancy_management", "Tenancy management", ()),
    ("contractors", "Contractors", ()),
    ("complaint_handling", "Complaint handling", ()),
    ("data_and_privacy", "Data and privacy", ()),
    ("adaptations", "Adaptations and accessibility", ()),
    ("other", "Other", ()),
)

ROOT_CAUSES: tuple[tuple[str, str], ...] = (
    ("process_not_followed", "Process not followed"),
    ("process_missing_or_wrong", "Process missing or wrong"),
    ("communication_failure", "Communication failure"),
    ("missed_appointment", "Missed appointment"),
    ("contractor_performance", "Contractor performance"),
    ("system_or_data_error", "System or data error"),
    ("staff_conduct", "Staff conduct"),
    ("policy_gap", "Policy gap"),
    ("resource_or_capacity", "Resource or capacity"),
)

#: The departments an organisation starts with (created with it by the demo and by setup).
SERVICE_AREAS: tuple[str, ...] = (
    "Repairs",
    "Housing management",
    "Income",
    "Customer services",
    "Neighbourhoods",
    "Lettings",
)


def load_default_lists(theme_model: Any, root_cause_model: Any) -> None:
    """Create the default themes and root causes that are missing (by key), leaving the rest alone.

    Takes the models so that the data migration can pass its historical ones; a test whose
    database was emptied (a transactional test) passes the real ones.
    """
    for position, (key, name, children) in enumerate(THEMES, start=1):
        parent, _ = theme_model.objects.get_or_create(key=key, defaults={"name": name, "position": position})
        for child_position, (child_key, child_name) in enumerate(children, start=1):
            theme_model.objects.get_or_create(
                key=child_key, defaults={"name": child_name, "parent": parent, "position": child_position}
            )
    for position, (key, name) in enumerate(ROOT_CAUSES, start=1):
        root_cause_model.objects.get_or_create(key=key, defaults={"name": name, "position": position})
