"""What is raised during a complaint, and what triage does not accept as one."""

from __future__ import annotations

from putright.cases.demo.template import Template

#: New matters raised during a complaint that become complaints of their own.
NEW_MATTERS: tuple[Template, ...] = (
    Template(
        theme="Staff conduct",
        category="staff_conduct",
        summary="The operative who came about my complaint was rude to me",
        description="The operative who came about my complaint was rude and said I was wasting his time.",
        points=("The operative was rude",),
        desired="An apology.",
        finding="The operative's supervisor spoke to him and he accepts his manner was not acceptable.",
        actions=("Apology from the operative's supervisor",),
        resolution="The supervisor rang the customer to apologise.",
    ),
    Template(
        theme="Rent and service charges",
        category="service_failure",
        summary="I was charged for a repair that should have been free",
        description="I was charged £85 for a repair to my front door that should have been free, as the "
        "door was faulty when I moved in.",
        points=("I was charged for a repair that is the landlord's responsibility",),
        desired="Refund the charge.",
        finding="The repair was recharged in error; the door was reported faulty at sign-up.",
        actions=("Refund the £85 recharge to the customer",),
        resolution="Cancelled the recharge while the customer was on the phone.",
    ),
)

#: What front-line staff may not accept as a complaint, by the policy's exclusion:
#: (summary, description, explanation to the customer).
EXCLUDED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "first_request_for_service": (
        (
            "Kitchen tap dripping",
            "My kitchen tap has started dripping and will not turn off properly. Can someone fix it?",
            (
                "This is a first request for a repair, so we have booked it as a repair rather than a "
                "complaint. If the repair is not done properly you can complain about that."
            ),
        ),
        (
            "Fence panel blown down",
            "A fence panel in my back garden blew down in the wind last night.",
            (
                "We have raised a repair for the fence. A first request for a service is not a complaint; if "
                "the repair is not done well you can complain."
            ),
        ),
        (
            "Extractor fan not working",
            "The bathroom extractor fan has stopped working.",
            "We have booked an electrician to repair the fan. This is a first request for a repair.",
        ),
    ),
    "neighbour_or_asb": (
        (
            "Neighbour's dog barking all day",
            "The dog next door barks all day while they are at work. I cannot work from home.",
            (
                "This is about a neighbour, which our anti-social behaviour team deals with. We have passed "
                "it to them and they will contact you."
            ),
        ),
        (
            "Loud music from the flat upstairs",
            "The people upstairs play loud music until 2am most weekends.",
            (
                "Noise from a neighbour is handled as anti-social behaviour, not as a complaint. The ASB "
                "team will be in touch."
            ),
        ),
    ),
    "unacceptable_behaviour": (
        (
            "Abusive call about a repair",
            "The caller shouted, swore at and threatened the advisor while reporting a repair.",
            (
                "We ended the call after repeated abuse and threats towards our advisor. We will not "
                "investigate a complaint made in this way; the customer may write to us about the repair."
            ),
        ),
    ),
    "legal_proceedings": (
        (
            "Damp in the bedroom, now in court",
            "I have taken you to court about the damp in my bedroom: my solicitor filed the claim.",
            (
                "Your solicitor has filed a claim at the county court about the damp, so the court will "
                "decide it. We will keep repairing the damp meanwhile."
            ),
        ),
    ),
    "not_about_us": (
        (
            "Bins not collected",
            "My bins have not been emptied for two weeks.",
            (
                "Bin collections are run by the district council, not by us. We have given the customer the "
                "council's contact details."
            ),
        ),
        (
            "Water bill too high",
            "My water bill has doubled and I think the meter is wrong.",
            (
                "Water bills and meters are a matter for the water company. We have given the customer its "
                "contact details."
            ),
        ),
        (
            "Street light out on the main road",
            "The street light outside my house has been out for a month.",
            (
                "Street lights on the public road belong to the county council. We have reported it for the "
                "customer and given them the reference."
            ),
        ),
    ),
    "out_of_time": (
        (
            "Damage to my carpet during a repair last year",
            "When the plumber came last year he damaged my hall carpet. I want it replaced.",
            (
                "The repair was more than six months before the complaint and there is no reason it could "
                "not have been raised sooner, so the procedure does not allow us to consider it."
            ),
        ),
        (
            "Decoration allowance not paid when I moved in",
            "I was promised a decoration allowance when I moved in but never got it.",
            (
                "The tenancy started more than six months before the complaint, which is outside the time "
                "limit in our procedure."
            ),
        ),
    ),
}
