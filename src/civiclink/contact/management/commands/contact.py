"""`civiclink contact <action>`: the contact messages from the command line."""

from django.core.management import BaseCommand


class Command(BaseCommand):
    help = "Contact messages: delete those closed longer ago than the retention period."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        prune = actions.add_parser(
            "prune", help="Delete messages closed more than --days ago, with their history (run daily)."
        )
        prune.add_argument("--days", type=int, help="default: the setting CONTACT_RETENTION_DAYS (365)")

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action)(**options)

    def handle_prune(self, days, **options):
        from civiclink.contact import inbox

        deleted = inbox.prune(days)
        self.stdout.write(f"{deleted} closed contact messages deleted.")
