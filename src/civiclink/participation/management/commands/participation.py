"""`civiclink participation <action>`: the participation module's jobs from the command line."""

from django.core.management import BaseCommand


def recount() -> dict[str, int]:
    """Set every proposal's counters to what its rows say, one UPDATE per counter; {counter: proposals fixed}.

    The counters move in the same transaction as the rows, so this should find nothing: it is the proof, and the
    repair after a manual change in the database."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from civiclink.core.pagecache import expire_pages
    from civiclink.moderation.models import Visibility
    from civiclink.participation.models import Comment, Proposal, Support

    def counted(rows, per: str):
        number = rows.order_by().values(per).annotate(number=Count("pk")).values("number")
        return Coalesce(Subquery(number, output_field=IntegerField()), Value(0))

    supports = counted(Support.objects.filter(proposal=OuterRef("pk")), "proposal")
    comments = counted(
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Proposal),
            object_id=OuterRef("pk"),
            visibility=Visibility.VISIBLE,
            deleted_at__isnull=True,
        ),
        "object_id",
    )
    with transaction.atomic():
        fixed = {
            "support_count": Proposal.objects.exclude(support_count=supports).update(support_count=supports),
            "comment_count": Proposal.objects.exclude(comment_count=comments).update(comment_count=comments),
        }
    if any(fixed.values()):
        expire_pages()
    return fixed


class Command(BaseCommand):
    help = "Participation: send the daily digest of notifications, check the counters of proposals."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "send-digest", help="E-mail the daily digest to those who chose it (run once a day, e.g. from cron)."
        )
        actions.add_parser(
            "announce-phases", help="Tell followers of the phases that have begun (run often, e.g. hourly from cron)."
        )
        actions.add_parser(
            "recount", help="Recount the supports and comments of every proposal and fix the counters that drifted."
        )

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_send_digest(self, **options):
        from civiclink.participation.tasks import send_daily_digest

        self.stdout.write(f"Digests sent: {send_daily_digest.call()}")

    def handle_announce_phases(self, **options):
        from civiclink.participation.processes import announce_started_phases

        self.stdout.write(f"Phases announced: {announce_started_phases()}")

    def handle_recount(self, **options):
        for counter, drifted in recount().items():
            self.stdout.write(f"{counter}: {drifted} proposal(s) drifted, fixed")
