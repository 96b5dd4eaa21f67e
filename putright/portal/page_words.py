"""The words the footer's pages start with, written for this service; an administrator edits them.

They say what putright really does: the data a complaint keeps and why, the
accessibility standard its pages are built and tested to, and the only two
cookies it sets (the session and the CSRF token, no analytics). A landlord
that changes how it runs the service changes the words in the admin.
"""

from __future__ import annotations

from putright.portal.models import PageKind, PublicPage

PRIVACY = """\
This notice explains what we do with the information you give us when you make a complaint, \
whether you use this website or complain by phone, email, letter or in person.

## What we keep
- your name, address and postcode, and how and when you would like us to contact you
- if someone complains for you, their name, how they know you and that you agreed to it
- what your complaint is about, when it happened, what you would like us to do, and any photos or \
documents you send us
- any help you need from us, such as large print or another language
- what we do about your complaint: our contacts with you, our decisions and the reasons for them, the \
letters and emails we send you, and the actions we agree

## Why we keep it
We use your information to look into your complaint, to keep you informed, to put things right, and to \
learn from complaints so that we can improve our services. We handle complaints because we must: the \
Housing Ombudsman's Complaint Handling Code requires it of every social landlord.

If you tell us about your health or a disability so that we can help you, we use it only to give you \
that help.

## Who we share it with
Only the staff, and the contractors working for us, who need it to deal with your complaint. If you ask \
the Housing Ombudsman to look at your complaint, we give them what they ask for. We never sell your \
information or use it for marketing.

## How long we keep it
A complaint you start on this website but do not send is deleted after 30 days. We keep the record of a \
complaint for 6 years after it is closed, and then delete it.

## Your rights
You can ask for a copy of the information we hold about you, ask us to correct it, or ask us to delete \
it or to stop using it where the law allows. Contact us using the details on our letters or in your \
tenancy agreement.

If you are unhappy with how we have used your information, you can complain to the Information \
Commissioner's Office (ico.org.uk, 0303 123 1113).
"""

ACCESSIBILITY = """\
We want as many people as possible to be able to use this website. You should be able to:
- change colours, contrast levels and fonts using your browser or device settings
- zoom in up to 400% without the text spilling off the screen
- use the whole website with just a keyboard, or with speech recognition software
- listen to the website using a screen reader
- use it on a small phone screen, 320 pixels wide, without scrolling sideways

## How accessible this website is
This website is built to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA, \
using the GOV.UK Design System. Every page is checked with automated accessibility tests, on a small \
phone screen and on a desktop screen, each time the website is changed.

Some letters we send you are PDF files. If you cannot read a PDF, ask us for the letter in another \
format, such as large print, easy read, braille or audio, or by email.

## Reporting accessibility problems with this website
If you find a problem that is not listed on this page, or you think we are not meeting the accessibility \
standard, tell us. Contact us by phone, email or letter using the details on our letters or in your \
tenancy agreement, or tell any member of our staff. Please say which page the problem is on and what \
happened. We will reply within 10 working days.

## If you are not happy with our response
Contact the Equality Advisory and Support Service (EASS) at equalityadvisoryservice.com.

## Other ways to complain
If you cannot use this website, you can make a complaint by phone, by email, by letter or in person.
"""

COOKIES = """\
Cookies are small files saved on your phone, tablet or computer when you visit a website.

We use only the cookies this website needs to work. We do not use cookies to collect information about \
how you use the website (analytics), and we do not use advertising or marketing cookies. We do not \
need to ask for your consent for these cookies, because the website cannot work without them.

## The cookies we set
- sessionid: remembers your answers as you go through the complaint form, and lets staff stay signed \
in. It expires after 9 hours.
- csrftoken: protects the forms on this website from being sent by another website pretending to be \
you. It expires after 1 year.

## Changing your settings
You can set your browser to refuse cookies, but the complaint form will not then be able to remember \
your answers from one page to the next. You can still complain by phone, email, letter or in person.
"""

#: Each page's title and words before an administrator changes them.
DEFAULTS: dict[str, tuple[str, str]] = {
    PageKind.PRIVACY: ("Privacy notice", PRIVACY),
    PageKind.ACCESSIBILITY: ("Accessibility statement", ACCESSIBILITY),
    PageKind.COOKIES: ("Cookies", COOKIES),
}


def page_for(kind: str) -> PublicPage:
    """The page as the administrator last saved it, or (never saved) with its default words, unsaved."""
    found = PublicPage.objects.filter(kind=kind).first()
    if found is not None:
        return found
    title, body = DEFAULTS[kind]
    return PublicPage(kind=kind, title=title, body=body)
