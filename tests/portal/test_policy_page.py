"""The complaints policy is published (Code 3.4): a page and a PDF written from the policy in force.

Each policy's words are checked against its own TOML file, so the page is
seen to follow the policy's data, not a copy of it: the seed procedure
(6 months, three stages, an 8-week wait for the Ombudsman, the old address)
and the Code's own (12 months, two stages, the Ombudsman at any time).
"""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

#: Words each shipped policy's page must say, each written out by hand from its TOML file.
SAYS = {
    "flagship": [
        "Flagship Group Customer Complaints Procedure",
        "Version 1.2, approved on 22 November 2026",
        (
            "A complaint is an expression of dissatisfaction, however made, about the standard of service, "
            "actions or lack of action by us, our staff, or those acting on our behalf, affecting you."
        ),
        "Please tell us within 6 months of the problem happening",
        "You use threatening or abusive language or actions",
        "Stage 1: formal complaint",
        (
            "We will contact you within 24 working hours of receiving your complaint, and give you our "
            "response within 10 working days of receiving your complaint."
        ),
        "We can extend once by up to 10 working days",
        (
            "When you first contact us, we may be able to put things right straight away, without a formal "
            "complaint. You can still ask us to take it as a formal complaint at any time, and we will."
        ),
        (
            "We will give you our response by phone, in person or in writing. It gives our decision on each "
            "point of your complaint (upheld, partially upheld or not upheld), what we will do to put things "
            "right"
        ),
        "Stage 2: review",
        (
            "We will give you our response in writing. It gives our decision on each point of your complaint "
            "(upheld, partially upheld or not upheld), what we will do to put things right"
        ),
        (
            "We will contact you within 5 working days of your request, and give you our response within "
            "20 working days of your request."
        ),
        "When you ask for a review, tell us which of these applies:",
        "Appeal to the Tenants Experience Group",
        "The panel is a member of our board, a resident and an executive.",
        "It gives its decision within 5 working days of the meeting, and that is our final response.",
        "not a legal representative such as a solicitor",
        "to investigate 8 weeks after our final response, or sooner through a designated person",
        "by post: Housing Ombudsman Service, PO Box 152, Liverpool, L33 7WQ",
        "by phone: 0300 111 3000",
    ],
    "code-2024": [
        "Flagship Group Complaints Policy (Complaint Handling Code 2024)",
        "Version 2.2, approved on 22 November 2026",
        "affecting a resident or group of residents.",
        "Please tell us within 12 months of the problem happening",
        (
            "We will contact you within 5 working days of receiving your complaint, and give you our "
            "response within 10 working days of our first contact with you about it."
        ),
        "We can extend once by up to 20 working days",
        (
            "We do not have an informal stage: when you tell us you are unhappy and want it dealt with as a "
            "complaint, we take it to stage 1 straight away."
        ),
        (
            "We will give you our response in writing. It gives our decision on each point of your complaint "
            "(upheld, partially upheld or not upheld) with the reasons for each decision, what we will do to "
            "put things right"
        ),
        "You do not have to give a reason to ask for a review.",
        "You can contact the Housing Ombudsman Service at any time for help with your complaint.",
        "by post: Housing Ombudsman Service, PO Box 1484, Unit D, Preston, PR2 0ET",
    ],
}
#: Words that belong to the other policy only, which the page must not say.
NOT = {
    "flagship": [
        "12 months",
        "Ombudsman Service at any time",
        "Preston",
        "You do not have to give a reason",
        "We do not have an informal stage",
        "with the reasons for each decision",
    ],
    "code-2024": [
        "Appeal",
        "6 months",
        "8 weeks",
        "Liverpool",
        "threatening or abusive",
        "by phone, in person",
        "put things right straight away",
    ],
}


def words(html: str) -> str:
    main = html[html.index('id="main-content"') : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def pdf_words(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize("name", ["flagship", "code-2024"])
def test_the_policy_page_says_the_policy_in_force_in_plain_words(client, settings, name):
    settings.PUTRIGHT_POLICY = name
    response = client.get("/complaints-policy/")
    assert response.status_code == 200
    page = words(response.content.decode())
    for said in SAYS[name]:
        assert said in page
    for other in NOT[name]:
        assert other not in page
    assert 'href="/complaints-policy/pdf/"' in response.content.decode()


@pytest.mark.parametrize("name", ["flagship", "code-2024"])
def test_the_policy_pdf_says_the_same_words(client, settings, name):
    settings.PUTRIGHT_POLICY = name
    response = client.get("/complaints-policy/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    version = "1.2" if name == "flagship" else "2.2"  # issue 12: learning at closure
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert f"-version-{version}.pdf" in response["Content-Disposition"]
    text = pdf_words(response.content)
    for said in SAYS[name]:
        assert said in text
    for other in NOT[name]:
        assert other not in text


#: How each stage's response is given, stage by stage, written out by hand from each TOML file.
RESPONSES = {
    # stage 1: may be spoken, no reasons per point; stage 2: in writing, no reasons per point
    "flagship": [
        (
            "We will give you our response by phone, in person or in writing. It gives our decision on each "
            "point of your complaint (upheld, partially upheld or not upheld), what"
        ),
        (
            "We will give you our response in writing. It gives our decision on each point of your complaint "
            "(upheld, partially upheld or not upheld), what"
        ),
    ],
    # both stages: in writing, with the reasons for each point's outcome
    "code-2024": [
        (
            "We will give you our response in writing. It gives our decision on each point of your complaint "
            "(upheld, partially upheld or not upheld) with the reasons for each decision, what"
        ),
    ]
    * 2,
}
#: One stage's "how we respond" sentences, from "We will give you our response" to the outcome's end.
RESPONSE = re.compile(r"We will give you our response .*? It gives our decision on each point .*?, what")


@pytest.mark.parametrize("name", ["flagship", "code-2024"])
def test_each_stage_says_whether_its_response_is_written_and_reasoned(client, settings, name):
    settings.PUTRIGHT_POLICY = name
    page = words(client.get("/complaints-policy/").content.decode())
    text = pdf_words(client.get("/complaints-policy/pdf/").content)
    for said in (page, text):
        found = re.findall(
            r"We will give you our response .*? It gives our decision on each point .*?, what", said
        )
        assert found == RESPONSES[name]


def test_the_start_page_and_every_public_footer_link_to_the_policy(client):
    for path in ("/", "/complain/who/", "/your-complaint/"):
        html = client.get(path).content.decode()
        assert 'href="/complaints-policy/"' in html, path
    start = words(client.get("/").content.decode())
    assert "Read our complaints policy to see how we deal with complaints" in start


def test_the_policy_page_can_only_be_read(client):
    assert client.post("/complaints-policy/").status_code == 405
    assert client.post("/complaints-policy/pdf/").status_code == 405
