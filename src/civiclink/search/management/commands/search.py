"""`civiclink search rebuild [--kind K ...]`: index everything searchable afresh."""

from django.core.management import BaseCommand, CommandError

from civiclink.search import index, registry


class Command(BaseCommand):
    help = "Site search: rebuild the index (after restoring a database, or changes made without signals)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser("rebuild", help="Index every searchable object afresh, kind by kind.")
        rebuild.add_argument(
            "--kind", action="append", dest="kinds", metavar="KIND", help="only this kind; repeat for more"
        )

    def handle(self, *args, action, kinds=None, **options):
        unknown = set(kinds or ()) - {kind.key for kind in registry.kinds()}
        if unknown:
            known = ", ".join(kind.key for kind in registry.kinds())
            raise CommandError(f"Unknown kind: {', '.join(sorted(unknown))}. Known kinds: {known}.")
        for kind, count in index.rebuild(kinds).items():
            self.stdout.write(f"{kind}: {count} entries")
