from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "putright.comms"
    label = "comms"
    verbose_name = "Letters, emails and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the kinds of reminder the sweep and the digest run (see ``reminders.kinds``),
        and the check that the email provider chosen can send."""
        from putright.comms.email import checks  # noqa: F401 (registers the check)
        from putright.comms.reminders import kinds
        from putright.comms.reminders.action_reminders import AgreedActions
        from putright.comms.reminders.concern_outcomes import ConcernOutcomes
        from putright.comms.reminders.deadlines import StageDeadlines
        from putright.comms.reminders.restriction_reviews import RestrictionReviews

        # The order is the digest's order.
        kinds.register(StageDeadlines())
        kinds.register(AgreedActions())
        # conduct
        kinds.register(RestrictionReviews())
        kinds.register(ConcernOutcomes())

        # issue 15, retention: the daily run forgets delivered emails' attachments
        from putright.cases.services import retention
        from putright.comms.email import outbox

        retention.register_forgetter(
            retention.RecordType.EMAIL_ATTACHMENTS, outbox.forget_delivered_attachments
        )
        # issue 15, anonymise: a complaint's letters and emails go with its personal details
        from putright.cases.services.anonymisation import register_scrubber
        from putright.comms.anonymisation import scrub_letters_and_emails

        register_scrubber(scrub_letters_and_emails)
