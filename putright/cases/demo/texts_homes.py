"""Complaints about the home itself: repairs, damp and mould, heating (Gasway) and adaptations."""

from __future__ import annotations

from putright.cases.demo.template import Template

HOMES: tuple[Template, ...] = (
    Template(
        theme="Repairs",
        category="service_failure",
        summary="Leaking roof still not repaired after three visits",
        description="Water comes through the {room} ceiling every time it rains and has done for {weeks} "
        "weeks. An operative has been out three times and each time said a roofer would be booked, but "
        "nobody has come. There is a brown stain across the ceiling and the plaster is starting to bulge.",
        points=(
            "The roof repair has not been done after three visits",
            "I was told a roofer would be booked and nobody called me back",
            "The ceiling is now damaged and will need replastering",
        ),
        desired="Fix the roof properly, repair the ceiling and tell me when it will be done.",
        finding="The roofing job went to the wrong contractor's queue, so it was never booked.",
        actions=(
            "Roofer to replace the slipped tiles and renew the lead flashing",
            "Replaster and redecorate the damaged ceiling once it has dried out",
            "Pay £75 compensation for the delay and the repeat visits",
        ),
        resolution="Booked the roofer for a confirmed date and apologised that the job had not been chased.",
    ),
    Template(
        theme="Repairs",
        category="service_delivery",
        summary="Missed repair appointments and time off work wasted",
        description="I have taken three days off work for appointments to fix my back door lock and nobody "
        "turned up to two of them. Nobody rang to say they were not coming. The door still does not lock.",
        points=(
            "Two repair appointments were missed without warning",
            "I lost wages taking time off for the appointments",
            "The back door still does not lock properly",
        ),
        desired="An appointment that is kept, and something towards the wages I lost.",
        finding="The operative's schedule was changed on the day and the cancellation texts were not sent.",
        actions=(
            "Replace the back door lock at a first-slot appointment",
            "Pay £60 for the missed appointments under the compensation policy",
            "Remind the repairs schedulers to ring customers when an appointment is cancelled",
        ),
        resolution="Rebooked the lock repair for the first slot tomorrow and logged the missed appointments.",
    ),
    Template(
        theme="Repairs",
        category="service_failure",
        summary="Kitchen replacement left unfinished by the contractor",
        description="The contractor started my new kitchen {weeks} weeks ago and has not been back. The "
        "tiling is half done, there are no worktop ends and the cooker point has no cover on it.",
        points=(
            "The contractor left the kitchen unfinished",
            "The cooker connection has been left exposed",
            "Nobody from the landlord has come to inspect the work",
        ),
        desired="Make the cooker point safe straight away and finish the kitchen.",
        finding="The contractor took the job off its schedule while waiting for tiles and did not tell us; "
        "the post-inspection had not been booked.",
        actions=(
            "Make the cooker connection safe within 24 hours",
            "Contractor to complete the tiling, worktop ends and finishing",
            "Surveyor to inspect the finished kitchen and sign it off with the customer",
        ),
        resolution="Sent an electrician to make the cooker point safe today and chased the contractor.",
        concern=(
            "health_and_safety",
            "Exposed cooker connection in the kitchen; young children live in the home.",
        ),
    ),
    Template(
        theme="Repairs",
        category="service_delivery",
        summary="Plumber left a mess and tore the bathroom floor",
        description="When the plumber replaced my bathroom sink he left dirty water and bits of the old "
        "sink on the floor, and tore the vinyl dragging the pedestal out. I had to clean up after him.",
        points=("The operative left the bathroom dirty", "The vinyl flooring was torn during the work"),
        desired="Replace the damaged flooring.",
        finding="The operative confirmed the flooring was damaged when the old pedestal was removed.",
        actions=(
            "Replace the bathroom vinyl flooring",
            "Supervisor to go through the clean-up standard with the operative",
        ),
        resolution="Apologised and booked a flooring fitter to measure up for new vinyl.",
    ),
    Template(
        theme="Damp and mould",
        category="service_failure",
        summary="Black mould in the bedroom keeps coming back",
        description="There is black mould on the {room} walls and ceiling. It was treated in the spring but "
        "came back within a month. My youngest has asthma and sleeps in that room. I was told to open the "
        "windows but it is freezing and the mould is still spreading.",
        points=(
            "The mould treatment did not last",
            "Nobody has looked into what is causing the damp",
            "I was told it was down to how we live, which is not fair",
        ),
        desired="Find out why the mould keeps coming back and fix the cause, not just wash the walls.",
        finding="The spring visit treated the mould but did not include a damp survey, which our damp and "
        "mould procedure requires.",
        actions=(
            "Damp and mould survey by a qualified surveyor within 10 working days",
            "Mould wash and stain-block treatment to the affected rooms",
            "Fit humidity-controlled extractor fans in the bathroom and kitchen",
            "Check back after six weeks that the mould has not returned",
        ),
        resolution="Booked a mould wash for this week and a damp survey, and explained the next steps.",
        concern=(
            "health_and_safety",
            "Recurring black mould in a child's bedroom; the child has asthma. Hazard to be assessed.",
        ),
    ),
    Template(
        theme="Damp and mould",
        category="procedure_not_followed",
        summary="Promised damp inspection never happened",
        description="Damp is coming up the wall behind my sofa and my clothes in the wardrobe are going "
        "mouldy. I reported it {weeks} weeks ago and was promised an inspection within 10 days, but "
        "nobody came and nobody rang.",
        points=(
            "The promised damp inspection did not happen",
            "My clothes and furniture have been damaged by the mould",
        ),
        desired="Inspect and fix the damp, and pay for what has been ruined.",
        finding="The inspection request was logged but never allocated to a surveyor.",
        actions=(
            "Damp survey and repair of the failed damp-proof course",
            "Refer the damaged belongings to our insurer as a liability claim",
            "Loan a dehumidifier until the repair is done",
        ),
        resolution="Booked the damp inspection for a confirmed date and arranged a dehumidifier.",
    ),
    Template(
        theme="Damp and mould",
        category="service_failure",
        summary="Ceiling covered in mould after a leak from upstairs",
        description="A leak from the flat above was fixed {weeks} weeks ago, but nobody came back to dry out "
        "my {room} ceiling, which is now covered in mould and smells.",
        points=("Nobody came back after the leak was fixed", "The ceiling is now mouldy and stained"),
        desired="Dry the ceiling out, treat the mould and redecorate.",
        finding="The follow-on job to dry out and make good was not raised when the leak was fixed.",
        actions=("Dry out and treat the ceiling", "Replaster and redecorate the ceiling"),
        resolution="Raised the follow-on job to dry out and treat the ceiling and gave the customer a date.",
    ),
    Template(
        theme="Heating and hot water (Gasway)",
        category="service_failure",
        summary="No heating or hot water for five days",
        description="Our boiler broke down on a Friday evening and Gasway did not come until the next "
        "Wednesday. We had no heating or hot water for five days with a baby in the house and nobody "
        "offered us heaters.",
        points=(
            "Gasway took five days to attend a breakdown",
            "We were not offered temporary heaters",
            "Nobody rang to explain the delay",
        ),
        desired="Compensation for the days without heating and an explanation.",
        finding="Gasway Services logged the job as routine rather than as an emergency for a household "
        "with an infant.",
        actions=(
            "Pay compensation for five days without heating and hot water",
            "Gasway to review how out-of-hours jobs are prioritised for households with babies",
            "Record the household's needs on the customer's file",
        ),
        resolution="Gasway attended the same day; temporary heaters were dropped off in the meantime.",
        concern=(
            "safeguarding",
            "Household with a baby left without heating or hot water for five days in cold weather.",
        ),
    ),
    Template(
        theme="Heating and hot water (Gasway)",
        category="service_delivery",
        summary="Gas safety engineer did not come, then a forced-entry letter",
        description="Gasway booked my annual gas safety check and I waited in all day but nobody came. A "
        "week later I got a letter saying you would force entry because I had not given access.",
        points=(
            "The engineer did not come to the booked appointment",
            "I was sent a forced-entry warning although I waited in",
        ),
        desired="An apology and the letter withdrawn.",
        finding="The engineer was sent to an emergency and the no-access letter was generated automatically.",
        actions=(
            "Withdraw the no-access letter in writing and apologise",
            "Complete the gas safety check at a time that suits the customer",
        ),
        resolution="Withdrew the no-access letter and rebooked the gas safety check with the customer.",
    ),
    Template(
        theme="Heating and hot water (Gasway)",
        category="service_failure",
        summary="Radiators still cold after the new boiler was fitted",
        description="Since Gasway fitted my new boiler two of the radiators stay cold. Engineers have been "
        "out several times in {weeks} weeks and it is still not right.",
        points=("Two radiators have not worked since the new boiler", "Repeat visits have not fixed it"),
        desired="A heating system that works.",
        finding="The system was not flushed and balanced when the boiler was changed.",
        actions=(
            "Gasway engineer to power-flush and balance the system",
            "Quality inspection of the boiler installation",
        ),
        resolution="Booked a Gasway supervisor visit to flush and balance the system.",
    ),
    Template(
        theme="Adaptations",
        category="service_failure",
        summary="Level-access shower still not fitted after a year",
        description="My occupational therapist recommended a level-access shower over a year ago. I cannot "
        "get in the bath safely and I have had two falls. Nobody will tell me when it will be done.",
        points=(
            "The adaptation has been delayed for over a year",
            "I have not been kept informed",
        ),
        desired="Fit the shower as soon as possible.",
        finding="The adaptation was approved but held in the budget queue without the customer being told.",
        actions=(
            "Fit the level-access shower",
            "Fit grab rails as an interim measure within 5 working days",
            "Adaptations team to give the customer a monthly progress update",
        ),
        resolution="Booked grab rails for this week and asked the adaptations team for a firm date.",
        concern=(
            "safeguarding",
            "Older customer with limited mobility who has fallen twice getting into the bath.",
        ),
    ),
    Template(
        theme="Adaptations",
        category="service_delivery",
        summary="Stairlift keeps breaking down",
        description="My stairlift has broken down three times in {weeks} weeks and each repair took over a "
        "week. I have to sleep downstairs when it is broken.",
        points=("The stairlift keeps breaking down", "Repairs take over a week each time"),
        desired="A stairlift that works and faster repairs.",
        finding="A worn part was not replaced at the last service.",
        actions=(
            "Replace the stairlift's worn drive parts",
            "Move stairlift repairs to a contractor with a 24-hour call-out",
        ),
        resolution="Chased the stairlift engineer, who attended the same afternoon.",
    ),
)
