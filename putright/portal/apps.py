from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "putright.portal"
    label = "portal"
    verbose_name = "Public complaint form and case view"

    def ready(self) -> None:
        """issue 15, anonymise: a complaint's private links and drafts go with its personal details."""
        from putright.cases.services.anonymisation import register_scrubber
        from putright.portal.anonymisation import scrub_links_and_drafts

        register_scrubber(scrub_links_and_drafts)
