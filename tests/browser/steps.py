"""What a caseworker does in the browser, shared by the tests that walk a complaint through."""

from __future__ import annotations


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
    page.get_by_label("When did the matter happen?").fill("2026-11-02")
    page.get_by_label("We have failed to provide a service").check()
    page.get_by_label("Summary").fill("Leaking roof not repaired")
    page.get_by_label("What went wrong?").fill(
        "The roof has leaked since October; the repair was cancelled twice."
    )
    page.get_by_label("Points of complaint").fill("The repair was not done\nNobody called back")
