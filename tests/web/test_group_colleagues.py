"""A front-line adviser at a subsidiary records a review request for one of the group's Senior
Managers from the workspace: the picker offers them, and the step is taken."""

from __future__ import annotations

from putright.accounts.models import Organisation, OrganisationKind, Role
from tests.cases.helpers import at
from tests.web.helpers import make_user
from tests.web.helpers import text as text_of


def test_the_review_picker_offers_the_groups_senior_managers_and_the_step_is_taken(
    client, journey, frontline, org
):
    rachel = make_user("rachel", Role.SENIOR_MANAGER, org.parent, job_title="Head of Housing Services")
    suffolk = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD, parent=org.parent
    )
    make_user("stan", Role.SENIOR_MANAGER, suffolk, job_title="Suffolk's manager")
    complaint = journey.until("responded")
    url = f"/work/complaints/{complaint.reference}/escalate/"
    with at("Fri 2026-03-13 10:00"):
        client.force_login(frontline)
        form = client.get(url)
        assert form.status_code == 200
        page = text_of(form)
        assert "Rachel Staff – Head of Housing Services" in page
        assert "Suffolk's manager" not in page
        done = client.post(url, {"version": complaint.version, "grounds": ["b"], "owner": rachel.pk})
    assert done.status_code == 302, text_of(done)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.owner) == ("stage2", rachel)
