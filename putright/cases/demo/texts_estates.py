"""Complaints about housing services: ASB handling, rent and charges, staff, estates, lettings."""

from __future__ import annotations

from putright.cases.demo.template import Template

ESTATES: tuple[Template, ...] = (
    Template(
        theme="Anti-social behaviour handling",
        category="procedure_not_followed",
        summary="My anti-social behaviour case was closed without telling me",
        description="I have reported drug dealing outside my block many times over {weeks} weeks. My "
        "housing officer has not returned my calls and I found out the case had been closed when I rang.",
        points=(
            "My ASB case was closed without anyone telling me",
            "My housing officer did not return my calls",
            "No action plan was ever agreed with me",
        ),
        desired="Reopen the case, agree an action plan with me and keep me updated.",
        finding="The case was closed in error when the housing officer left the team and the caseload was "
        "handed over.",
        actions=(
            "Reopen the ASB case and agree an action plan with the customer",
            "Housing officer to call the customer every two weeks while the case is open",
            "Review how caseloads are handed over when an officer leaves",
        ),
        resolution="Reopened the ASB case and arranged for the team leader to call the customer today.",
        concern=(
            "safeguarding",
            (
                "The customer says she is frightened to leave her flat in the evening because of activity "
                "outside the block."
            ),
        ),
    ),
    Template(
        theme="Anti-social behaviour handling",
        category="service_delivery",
        summary="Noise diaries sent back but nothing happened",
        description="I was asked to keep noise diary sheets for three months, which I did and sent back. "
        "Nothing happened and nobody has explained what the next steps are.",
        points=(
            "My diary sheets were not reviewed",
            "I was not told what would happen next",
        ),
        desired="Tell me what is being done about the noise.",
        finding="The diary sheets were scanned to the wrong case and not reviewed.",
        actions=(
            "Review the diary sheets and agree next steps with the customer",
            "Offer noise recording equipment",
        ),
        resolution="Found the diary sheets and booked a call with the ASB officer to agree next steps.",
    ),
    Template(
        theme="Rent and service charges",
        category="service_failure",
        summary="Rent account shows arrears I do not owe",
        description="My rent is paid by Universal Credit direct to you, but my account shows £412.60 in "
        "arrears and I have had a warning letter. I have shown my statements at the office twice.",
        points=(
            "The arrears are wrong because Universal Credit payments were not matched",
            "I was sent a warning letter for arrears I do not owe",
            "I had to explain the same thing twice",
        ),
        desired="Correct my rent account and confirm it in writing.",
        finding="Two managed payments from the Department for Work and Pensions were posted to a suspense "
        "account and not matched to the rent account.",
        actions=(
            "Match the payments to the rent account and send a corrected statement",
            "Withdraw the arrears warning letter in writing",
            "Pay £50 for the time and trouble caused",
        ),
        resolution="Matched the missing payments while on the phone and sent a corrected rent statement.",
    ),
    Template(
        theme="Rent and service charges",
        category="procedure_not_followed",
        summary="Service charge increase not explained",
        description="My service charge went up by 38% this year with no breakdown. I asked for the breakdown "
        "in writing {weeks} weeks ago and was told to wait for the annual statement.",
        points=(
            "No breakdown of the increase was given",
            "My written request for information was not answered",
        ),
        desired="A full breakdown and an explanation of the increase.",
        finding="The estimate letter left out the breakdown sheet for blocks with a new communal lighting "
        "contract.",
        actions=(
            "Send a full breakdown of the service charge estimate",
            "Leasehold officer to meet the customer to go through the charges",
        ),
        resolution="Emailed the breakdown sheet that was missing from the estimate letter.",
        tenure="leaseholder",
    ),
    Template(
        theme="Staff conduct",
        category="staff_conduct",
        summary="Housing officer was rude during a home visit",
        description="The housing officer who came for my tenancy visit was rude and dismissive. He talked "
        "over me, made comments about the state of my home and left before I could ask my questions.",
        points=(
            "The officer was rude and talked over me",
            "Comments were made about my home that upset me",
            "My questions were not answered",
        ),
        desired="An apology and a different officer for future visits.",
        finding="The officer accepts that the visit was rushed; his manager has discussed with him the "
        "standard of conduct we expect.",
        actions=(
            "Written apology from the housing officer's manager",
            "A different officer to visit and answer the customer's questions",
            "Refresher training on respectful home visits for the team",
        ),
        resolution="The team leader apologised and booked a different officer to answer the questions.",
    ),
    Template(
        theme="Staff conduct",
        category="staff_conduct",
        summary="Call handler ended the call while I was speaking",
        description="I rang about my repair and the call handler was short with me and then ended the call "
        "while I was still speaking. When I rang back I was not allowed to speak to a manager.",
        points=(
            "The call handler ended the call while I was speaking",
            "I was refused the chance to speak to a manager",
        ),
        desired="An apology.",
        finding="The call recording shows the call was ended before the customer had finished speaking.",
        actions=(
            "Apology from the Customer Services team leader",
            "Coaching for the call handler using the call recording",
        ),
        resolution="The team leader listened to the call, apologised and dealt with the repair query.",
    ),
    Template(
        theme="Grounds maintenance",
        category="service_failure",
        summary="Grass on our estate not cut for months",
        description="The grass on the green in our close has not been cut for {weeks} weeks. We pay for it "
        "in our service charge. It is knee high and full of litter and the children cannot play on it.",
        points=(
            "Grass cutting visits have been missed",
            "We are paying for a service we are not getting",
        ),
        desired="Cut the grass and refund the charge for the missed visits.",
        finding="The grounds contractor's new route left our site out of its schedule.",
        actions=(
            "Grounds contractor to cut the green and clear the litter",
            "Credit the service charge for the missed visits",
            "Put the site back on the contractor's schedule and check it monthly",
        ),
        resolution="Asked the grounds contractor to cut the green this week and confirmed it with them.",
    ),
    Template(
        theme="Grounds maintenance",
        category="service_delivery",
        summary="Overgrown trees blocking light and touching the roof",
        description="The trees at the back of my house have not been cut back despite reports over {weeks} "
        "weeks. They block the light to my living room and the branches scrape the roof in the wind.",
        points=("The trees have not been cut back despite reports", "Branches are damaging the roof"),
        desired="Cut the trees back.",
        finding="The tree work was waiting for a survey that was never booked.",
        actions=("Tree survey and crown reduction", "Check the roof for damage from the branches"),
        resolution="Booked the tree survey and told the customer when the surveyor would visit.",
    ),
    Template(
        theme="Communal cleaning",
        category="service_failure",
        summary="Communal stairs and bin store not cleaned",
        description="The stairs and landings in my block have not been cleaned for {weeks} weeks. There is "
        "rubbish on the landings and the bin store smells. We pay a cleaning charge every week.",
        points=(
            "The communal areas have not been cleaned",
            "We are charged for cleaning that is not done",
        ),
        desired="Clean the block and refund the charge.",
        finding="The cleaning contractor's visits were not being checked after a change of supervisor.",
        actions=(
            "Deep clean of the stairs, landings and bin store",
            "Credit the cleaning charge for the missed weeks",
            "Put the cleaning schedule on the block's noticeboard",
        ),
        resolution="Booked a deep clean for tomorrow and passed the missed visits to the contract manager.",
    ),
    Template(
        theme="Communal cleaning",
        category="service_delivery",
        summary="Rubbish dumped in the corridor not removed",
        description="Someone dumped a mattress and a sofa in the corridor outside my flat {weeks} weeks ago. "
        "I have reported it twice. It blocks the way to the fire exit.",
        points=("The dumped items have not been removed", "The fire exit route is blocked"),
        desired="Remove the rubbish.",
        finding="The removal job was raised as routine rather than as a fire safety job.",
        actions=(
            "Remove the dumped items from the corridor",
            "Fire safety check of the block's escape routes",
        ),
        resolution="Arranged same-day removal of the dumped items and told the fire safety team.",
        concern=(
            "health_and_safety",
            "Bulky items obstructing the fire escape route in a communal corridor.",
        ),
    ),
    Template(
        theme="Lettings",
        category="service_failure",
        summary="New home was not ready when I moved in",
        description="When I moved in the flat had not been cleaned, the cooker point did not work and the "
        "bedroom door was missing. I paid for a cleaner myself.",
        points=(
            "The flat did not meet the lettings standard",
            "I had to pay for cleaning myself",
        ),
        desired="Finish the work and refund the cleaning.",
        finding="The empty-home inspection was signed off before the work order was finished.",
        actions=(
            "Fit the missing door and test the cooker point",
            "Refund the £120 the customer paid for cleaning",
            "Lettings team to check each home the day before sign-up",
        ),
        resolution="Booked the door and cooker point for this week and asked for the cleaning receipt.",
    ),
    Template(
        theme="Lettings",
        category="procedure_not_followed",
        summary="Medical evidence for my housing application ignored",
        description="I sent medical evidence for my housing application {weeks} weeks ago but my banding "
        "has not changed and nobody has replied to my emails.",
        points=("My medical evidence was not considered", "My emails were not answered"),
        desired="Look at the evidence and reply to me.",
        finding="The evidence was saved to the application but the reassessment task was not created.",
        actions=(
            "Assess the medical evidence and confirm the banding in writing",
            "Reply to the customer's outstanding emails",
        ),
        resolution="Passed the evidence to the assessment officer and confirmed a date for a decision.",
        tenure="applicant",
    ),
)
