"""The benches benchmark's fleet: `--benches` active benches in one local community, each given a fresh credential.

Run with the benchmark's environment (DATABASE_URL and friends), after `civiclink migrate`:
``python bench/benches_data.py --benches 100``. Prints one JSON line: [[bench id, secret], ...]. Safe to run again:
it tops the fleet up and rotates every credential (only hashes are stored, so a new run needs new secrets).
"""

import argparse
import json
import os

COMMUNITY = "bench-fleet"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benches", type=int, default=100)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()
    from django.db import transaction

    from civiclink.benches import credentials
    from civiclink.benches.models import Bench, Status
    from civiclink.places.models import LocalCommunity, Municipality

    with transaction.atomic():
        municipality, _ = Municipality.objects.get_or_create(
            slug="bench-municipality", defaults={"name": "Benchmark municipality", "entity": "FBiH"}
        )
        community, _ = LocalCommunity.objects.get_or_create(
            municipality=municipality, slug=COMMUNITY, defaults={"name": "Benchmark fleet"}
        )
        have = community.benches.count()
        Bench.objects.bulk_create(
            Bench(community=community, name=f"Fleet bench {number:04d}", status=Status.ACTIVE)
            for number in range(have + 1, args.benches + 1)
        )
        fleet = []
        for bench in community.benches.order_by("name")[: args.benches]:
            fleet.append([str(bench.pk), credentials.rotate(bench).partition(".")[2]])
    print(json.dumps(fleet))


if __name__ == "__main__":
    main()
