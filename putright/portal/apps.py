from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "putright.portal"
    label = "portal"
    verbose_name = "Public complaint form and case view"

    def ready(self) -> None:
        """issue 15, retention: the daily run forgets the public form's drafts and rate-limit records."""
        from putright.cases.services import retention
        from putright.portal import drafts, limits

        retention.register_forgetter(
            retention.RecordType.DRAFTS, lambda before, dry_run: drafts.forget_before(before, dry_run)[0]
        )
        retention.register_forgetter(retention.RecordType.RATE_LIMIT_ATTEMPTS, limits.forget_before)
        """issue 15, anonymise: a complaint's private links and drafts go with its personal details."""
        from putright.cases.services.anonymisation import register_scrubber
        from putright.portal.anonymisation import scrub_links_and_drafts

        register_scrubber(scrub_links_and_drafts)
