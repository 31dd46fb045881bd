"""`civiclink governance <action>`: the ELoGE benchmark's jobs from the command line."""

from django.core.management import BaseCommand, CommandError


class Command(BaseCommand):
    help = "ELoGE benchmark: load benchmarks, import or export responses, send reminders and overdue notices."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load-benchmarks", help="Load or refresh the shipped benchmarks (ELoGE 2008 and 2023).")
        importer = actions.add_parser(
            "import-responses", help="Import paper questionnaires from CSV: all rows or, if any is bad, none."
        )
        importer.add_argument("--campaign", type=int, required=True)
        importer.add_argument("--questionnaire", choices=["citizens", "councillors", "staff"], required=True)
        importer.add_argument("file")
        exporter = actions.add_parser("export", help="Print results or anonymised responses to stdout.")
        exporter.add_argument("--campaign", type=int, required=True)
        exporter.add_argument("--what", choices=["results", "responses"], required=True)
        exporter.add_argument("--format", choices=["json", "csv"], default="json")
        actions.add_parser("send-reminders", help="Remind councillors and staff who have not answered yet.")
        actions.add_parser("notify-overdue", help="Tell campaign teams about overdue measures of their action plan.")

    def handle(self, *args, action, **options):
        handler = getattr(self, "handle_" + action.replace("-", "_"))
        handler(**options)

    def handle_load_benchmarks(self, **options):
        from civiclink.governance.catalogue import load_all

        for benchmark, changed in load_all():
            state = "loaded" if changed else "in use, kept as it is"
            self.stdout.write(f"{benchmark.key}: {state}")

    def _campaign(self, pk: int):
        from civiclink.governance.models import Campaign

        try:
            return Campaign.objects.select_related("cycle__benchmark", "municipality").get(pk=pk)
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign with id {pk}.") from None

    def handle_import_responses(self, campaign, questionnaire, file, **options):
        from civiclink.governance.imports import ImportFailed, import_responses

        try:
            with open(file, encoding="utf-8-sig", newline="") as stream:
                imported = import_responses(self._campaign(campaign), questionnaire, stream)
        except OSError as error:
            raise CommandError(str(error)) from None
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing imported: {len(failure.problems)} problem(s).") from None
        self.stdout.write(f"Imported {imported} responses.")

    def handle_export(self, campaign, what, format, **options):
        from civiclink.governance.exports import write_export

        write_export(self._campaign(campaign), what, format, self.stdout)

    def handle_send_reminders(self, **options):
        from civiclink.governance.invitations import send_due_reminders

        self.stdout.write(f"Reminders queued: {send_due_reminders()}")

    def handle_notify_overdue(self, **options):
        from civiclink.governance.plan import notify_overdue

        self.stdout.write(f"Teams notified: {notify_overdue()}")
