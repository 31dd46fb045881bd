"""`civiclink newsletter <action>`: the newsletter's jobs from the command line."""

import csv
import mailbox
from datetime import timedelta

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import translation

from civiclink.newsletter import inbound, sending, subscriptions
from civiclink.newsletter.models import Source, Theme
from civiclink.places.models import Municipality


class Command(BaseCommand):
    help = (
        "Newsletter: resume interrupted sending, import subscribers (who then confirm by e-mail), read bounce "
        "reports and unsubscriptions by e-mail, forget addresses that were never confirmed."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        resume = actions.add_parser(
            "resume",
            help="Take back the rows of batches whose worker died and queue them again (run e.g. every 5 minutes "
            "from cron; `civiclink worker` also does it when it starts).",
        )
        resume.add_argument(
            "--stale-after",
            type=int,
            default=int(sending.STALE_AFTER.total_seconds()),
            help="seconds without a sign of life after which a batch counts as dead (default %(default)s)",
        )
        load = actions.add_parser(
            "import",
            help="Ask the addresses of a CSV file (columns: email, language, and optionally themes and "
            "municipalities as slugs separated by ';') to confirm a subscription: nobody is subscribed unasked.",
        )
        load.add_argument("path")
        inbound = actions.add_parser(
            "inbound",
            help="Read the new messages of the Maildir that receives the newsletter's address: record reported "
            "bounces and unsubscribe those who wrote to the List-Unsubscribe address (run e.g. every 5 minutes).",
        )
        inbound.add_argument("maildir")
        actions.add_parser(
            "prune",
            help="Delete the addresses never confirmed whose confirmation link has expired "
            f"({subscriptions.CONFIRMATION_DAYS} days); run daily from cron.",
        )

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action)(**options)

    def handle_resume(self, stale_after, **options):
        summary = sending.resume_interrupted(stale_after=timedelta(seconds=stale_after))
        self.stdout.write(
            f"{summary['released']} rows queued again, {summary['uncertain']} uncertain, "
            f"{summary['batches']} batch tasks enqueued."
        )

    def handle_inbound(self, maildir, **options):
        try:
            outcomes = inbound.read_maildir(maildir)
        except mailbox.NoSuchMailboxError as error:
            raise CommandError(f"no Maildir at {maildir}") from error
        self.stdout.write(", ".join(f"{outcomes[outcome]} {outcome.value}" for outcome in inbound.Outcome) + ".")

    def handle_prune(self, **options):
        self.stdout.write(f"{subscriptions.forget_unconfirmed()} unconfirmed addresses deleted.")

    def handle_import(self, path, **options):
        languages = {code for code, _name in settings.LANGUAGES}
        municipalities = {municipality.slug: municipality for municipality in Municipality.objects.all()}
        with open(path, newline="", encoding="utf-8") as source:
            rows = []
            for number, row in enumerate(csv.DictReader(source), start=2):  # line 1 names the columns
                language = (row.get("language") or settings.LANGUAGE_CODE).strip()
                themes = [theme.strip() for theme in (row.get("themes") or "").split(";") if theme.strip()]
                slugs = [slug.strip() for slug in (row.get("municipalities") or "").split(";") if slug.strip()]
                if language not in languages or set(themes) - set(Theme.values) or set(slugs) - set(municipalities):
                    raise CommandError(f"line {number}: unknown language, theme or municipality")
                rows.append((row["email"], language, themes, [municipalities[slug] for slug in slugs]))
        for email, language, themes, chosen in rows:
            with translation.override(language):  # the confirmation e-mail in the subscriber's language
                subscriptions.subscribe(
                    email, language=language, themes=themes, municipalities=chosen, source=Source.IMPORT
                )
        self.stdout.write(f"{len(rows)} addresses asked to confirm.")
