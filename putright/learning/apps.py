from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "putright.learning"
    label = "learning"
    verbose_name = "Learning from complaints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Tell the state machine's facts how to read a point's theme and root cause."""
        from putright.cases.demo import hooks
        from putright.cases.selectors.facts import register_learning_marks
        from putright.learning import demo
        from putright.learning.selectors import learning_marks

        register_learning_marks(learning_marks)
        hooks.after_step(demo.after_step)
        hooks.after_load(demo.after_load)
        # issue 12, lessons: overdue learning actions remind their owner and team lead
        from putright.comms.reminders import kinds
        from putright.learning.reminders import OverdueLearningActions

        kinds.register(OverdueLearningActions())
        # issue 15, anonymise: remedies' words and root cause notes go with the personal details
        from putright.cases.services.anonymisation import register_scrubber
        from putright.learning.anonymisation import scrub_learning

        register_scrubber(scrub_learning)
