"""What a caseworker does in the browser, shared by the tests that walk a complaint through."""

from __future__ import annotations


def fill_date(page, legend: str, iso: str) -> None:
    """Type an ISO date into the day, month and year boxes of the date called ``legend``."""
    group = page.get_by_role("group", name=legend)
    year, month, day = iso.split("-")
    group.get_by_label("Day").fill(str(int(day)) if day else "")
    group.get_by_label("Month").fill(str(int(month)) if month else "")
    group.get_by_label("Year").fill(year)


def fill_phone_complaint_for_new_customer(page) -> None:
    """On the log page: a new customer who needs large print, and a phone complaint about a leak."""
    page.get_by_label("Title").fill("Mrs")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Postcode").fill("nr28 0nb")
    page.get_by_label("Phone number (optional)", exact=True).fill("01692 000000")
    page.get_by_label("Large print").check()
    page.get_by_label("Print size or format").fill("16 point")
    page.get_by_role("group", name="How was the complaint made?").get_by_label("Phone").check()
    fill_date(page, "When did the matter happen?", "2026-11-02")
    page.get_by_label("We have failed to provide a service").check()
    page.get_by_label("Summary").fill("Leaking roof not repaired")
    page.get_by_label("What went wrong?").fill(
        "The roof has leaked since October; the repair was cancelled twice."
    )
    page.get_by_label("Points of complaint").fill("The repair was not done\nNobody called back")
