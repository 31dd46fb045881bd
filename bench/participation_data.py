"""The participation benchmark's data: a copy of Mostar's call for proposals with 1,000 problems and proposals (with
supports, discussions and state histories, made by the demo's generator), one of which has 500 comments.

Run with the benchmark's environment (DATABASE_URL and friends), after `civiclink demo --no-serve`:
``python bench/participation_data.py --proposals 1000 --comments 500``. Prints one JSON line: the process's slug,
the proposal with the long discussion, row counts, and a session cookie of the demo citizen for signed-in loads.
Seeded; safe to run again (the benchmark process, once made, is kept as it is).
"""

import argparse
import dataclasses
import json
import os
import random
import time

SLUG = "bench-mostar-1000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=500, help="comments on the one long discussion")
    parser.add_argument("--people", type=int, default=600, help="residents who support and comment")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from civiclink.accounts.models import User
    from civiclink.participation import access, demo
    from civiclink.participation.models import Comment, Process, Proposal, Support
    from civiclink.places.models import Municipality, OrganisationMembership
    from signin import signed_in

    started = time.perf_counter()
    if not Process.objects.filter(slug=SLUG).exists():
        with transaction.atomic():
            rng = random.Random(1000)
            mostar = Municipality.objects.get(slug="mostar")
            spec = dataclasses.replace(
                demo.MOSTAR, slug=SLUG, title=f"{demo.MOSTAR.title} (benchmark)", polls=(), meetings=()
            )
            members = {
                membership.organisation.short_name: (membership.organisation, membership.user)
                for membership in OrganisationMembership.objects.filter(organisation__municipality=mostar)
                .select_related("organisation", "user")
                .order_by("pk")
            }
            town = demo.Town(
                municipality=mostar,
                communities={community.name: community for community in mostar.communities.all()},
                residents=demo.make_people(mostar, args.people, (5, 4, 1), rng, prefix="bench."),
                officer=User.objects.get(email=f"officer@{demo.DEMO_DOMAIN}"),
                members=members,
            )
            process, categories = demo.create_process(spec, town, rng)
            threshold = access.feature_settings(process, "supports")["threshold"]
            since = process.phases.order_by("starts_at")[1].starts_at  # the proposals phase
            drafts = demo.city_drafts(process, categories, town, args.proposals, rng, since=since, threshold=threshold)
            long = max(drafts, key=lambda draft: len(draft.supporters))
            long.comments = demo.discussion(
                rng,
                args.comments,
                town.residents,
                demo.POOLS["bs"],
                long.created_at,
                timezone.now(),
                author=long.proposal.author,
                officer=town.officer,
                official=5,
            )
            demo.save(drafts, rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("participation_proposal", "participation_comment", "participation_support"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
    generated = time.perf_counter() - started

    process = Process.objects.get(slug=SLUG)
    long = Proposal.objects.filter(process=process).order_by("-comment_count", "pk").first()
    citizen = User.objects.get(email=f"citizen@{demo.DEMO_DOMAIN}")
    print(
        json.dumps(
            {
                "slug": SLUG,
                "proposal": long.pk,
                "proposal_comments": long.comment_count,
                "proposals": Proposal.objects.filter(process=process).count(),
                "comments": Comment.objects.filter(process=process).count(),
                "supports": Support.objects.filter(proposal__process=process).count(),
                "generated_s": round(generated, 1),
                **signed_in(citizen),
            }
        )
    )


if __name__ == "__main__":
    main()
