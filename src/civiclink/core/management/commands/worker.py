from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks (e-mail and periodic work) from the database queue. Stop with Ctrl+C. "
        "Give each worker its own --worker-id that stays the same across restarts: a restarted worker then knows "
        "at once which newsletter batches died with it (see docs/newsletter.md)."
    )

    def handle(self, *args, **options):
        from civiclink.newsletter.sending import resume_interrupted

        resume_interrupted(worker_id=options["worker_id"], follow_up=True)
        super().handle(*args, **options)
