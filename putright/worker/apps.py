from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """The background process: tasks, the schedule of recurring jobs, ``putright worker``.

    An app (without models: the jobs' rows are comms's ``Job``) so that Django
    finds its command, and so that at start-up it can hand the outbox its
    delivery tasks: the outbox sits below the worker and must not import it.
    """

    name = "putright.worker"
    label = "worker"
    verbose_name = "Background worker"

    def ready(self) -> None:
        from putright.comms.email import outbox
        from putright.worker import tasks

        outbox.use_courier(outbox.Courier(tasks.deliver_email.enqueue, tasks.deliver_due_emails.enqueue))
