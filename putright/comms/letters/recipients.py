"""Who a letter goes to, and whether by email or by post.

Letters go to the customer, or to the person acting for them on this
complaint once the customer has consented. The designated person
acknowledgement is the exception: it tells the customer who is acting for
them. A letter is emailed when the recipient has an email address and either
prefers email or gave us no postal address; otherwise it is printed and posted.
"""

from __future__ import annotations

from dataclasses import dataclass

from putright.cases.models import Complaint, ContactPreference, Customer
from putright.comms.models import LetterKind


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str
    email: str  # "" when the letter goes by post

    @property
    def by_email(self) -> bool:
        return bool(self.email)


def recipient_for(case: Complaint, kind: LetterKind | str) -> Recipient:
    """The recipient of letter ``kind`` on ``case`` (its customer and representative already loaded)."""
    representative = case.representative
    if (
        representative is not None
        and representative.has_consent
        and LetterKind(kind) != LetterKind.DESIGNATED_PERSON
    ):
        return Recipient(representative.name, representative.address.strip(), representative.email)
    customer = case.customer
    address = postal_address(customer)
    wants_email = customer.preferred_contact == ContactPreference.EMAIL or not address
    return Recipient(customer.full_name, address, customer.email if wants_email else "")


def postal_address(customer: Customer) -> str:
    """The customer's address with its postcode, one line each."""
    lines = [line.strip(" ,") for line in customer.address.splitlines() if line.strip(" ,")]
    if customer.postcode and not any(
        customer.postcode.replace(" ", "") in line.replace(" ", "") for line in lines
    ):
        lines.append(customer.postcode)
    return "\n".join(lines) if customer.address.strip() else ""
