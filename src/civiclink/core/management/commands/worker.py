from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run background tasks (e-mail and periodic work) from the database queue. Stop with Ctrl+C."
