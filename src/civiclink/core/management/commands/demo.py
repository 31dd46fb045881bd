import importlib

from django.core.management import BaseCommand, call_command
from django.db import connection

# Each app that brings demo data has a `demo` module with a `load()` function; order matters (roles need CSOs).
DEMO_MODULES = [
    "civiclink.places.demo",
    "civiclink.accounts.demo",
    "civiclink.governance.demo",
    "civiclink.participation.demo",
    "civiclink.benches.demo",
    "civiclink.pages.demo",
    "civiclink.portal.demo",
    "civiclink.newsletter.demo",
    "civiclink.contact.demo",
    "civiclink.search.demo",  # last: indexes everything the others created
]


class Command(BaseCommand):
    help = "Prepare a database with demo data and serve the site. Safe to run again: existing data is kept."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="Only prepare the database and data.")

    def handle(self, *args, port, host, no_serve, **options):
        self.stdout.write(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        call_command("migrate", interactive=False, verbosity=0)
        accounts = []
        for module_name in DEMO_MODULES:
            result = importlib.import_module(module_name).load()
            if module_name.endswith("accounts.demo"):
                accounts = result
            else:
                self.stdout.write(f"  {result}")
        from civiclink.accounts.demo import DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS("\nDemo accounts (password for all: %s):" % DEMO_PASSWORD))
        for email, description in accounts:
            self.stdout.write(f"  {email:<36} {description}")
        if no_serve:
            return
        self.stdout.write(self.style.SUCCESS(f"\nCivicLink is at http://{host}:{port}/ (Ctrl+C stops it)\n"))
        call_command("runserver", f"{host}:{port}", use_reloader=False)
