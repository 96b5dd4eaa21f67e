"""The step page that corrects the stock type of the home a complaint is about (issue 13, tsm)."""

from __future__ import annotations

from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.cases.services.stock_type import correct_stock_type, stock_type_label
from putright.procedure.states import Step
from putright.web.forms.stock_type import StockTypeForm
from putright.web.steps.framework import StepPage


def correct(complaint: Complaint, user: User, form: StockTypeForm, item: int | None) -> Complaint:
    data = form.cleaned_data
    return correct_stock_type(
        complaint, stock_type=data["stock_type"], actor=user, expected_version=data["version"]
    )


PAGES: list[StepPage] = [
    StepPage(
        step=Step.CORRECT_STOCK_TYPE,
        form=StockTypeForm,
        title="Correct the stock type",
        act=correct,
        done=lambda complaint: f"Stock type is now “{stock_type_label(complaint.stock_type)}”.",
        route="stock-type",
        context_template="web/steps/stock_type.html",
        button="Save the stock type",
    ),
]
