"""A service's refusal about one point's reasons is shown beside that point's box.

The service names ``outcomes[i].reasons`` (the i-th point, in the form's order);
the response and appeal-decision forms put the message on that point's field,
so the error summary links to it, rather than at the top of the page.
"""

from __future__ import annotations

from putright.cases.errors import InvalidInput
from putright.web.forms.investigation import RespondForm
from tests.web.test_case_page import stage1_case


def test_a_refusal_naming_a_points_reasons_is_put_beside_that_point(log, officer):
    complaint = stage1_case(log, officer)
    first, second = complaint.points.order_by("number").values_list("pk", flat=True)
    form = RespondForm(data={}, complaint=complaint, user=officer)
    form.is_valid()
    form.errors.clear()

    form.refuse(
        InvalidInput(
            "outcomes[1].reasons",
            "give the reasons for this point's outcome: the policy requires them at stage 1",
        )
    )

    said = "Give the reasons for this point's outcome: the policy requires them at stage 1"
    assert form.errors == {f"reasons_{second}": [said]}
    assert f"reasons_{first}" not in form.errors


def test_a_refusal_about_no_point_stays_at_the_top(log, officer):
    complaint = stage1_case(log, officer)
    form = RespondForm(data={}, complaint=complaint, user=officer)
    form.is_valid()
    form.errors.clear()
    form.refuse(InvalidInput("outcomes[7].reasons", "no such point"))
    assert form.errors == {"__all__": ["outcomes[7].reasons: no such point"]}
