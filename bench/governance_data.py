"""The ELoGE benchmark's data: one campaign with N citizen responses (12 items each) on top of the demo data, and
the time the scores of that campaign take to compute.

Run with the benchmark's environment (DATABASE_URL and friends), after `civiclink demo --no-serve`:
``python bench/governance_data.py --responses 100000``. Prints one JSON line: the campaign id and the timings.
Seeded; safe to run again (it tops the campaign up to N responses).
"""

import argparse
import json
import os
import random
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="times the scores are computed (default 5)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()
    from django.db import connection

    from civiclink.governance import scoring
    from civiclink.governance.demo import _profile, _self_assessment, synthetic_responses
    from civiclink.governance.models import Audience, Campaign, Cycle, Phase, Response
    from civiclink.places.models import Municipality

    cycle = Cycle.objects.get(name="ELoGE 2026")
    municipality = Municipality.objects.get(slug="zavidovici")
    campaign, created = Campaign.objects.get_or_create(
        cycle=cycle, municipality=municipality, defaults={"phase": Phase.ASSESSMENT, "results_public": True}
    )
    rng = random.Random(100_000)
    profile = _profile(rng)
    if created:
        _self_assessment(campaign, profile, rng)
    existing = Response.objects.filter(campaign=campaign, audience=Audience.CITIZENS).count()
    started = time.perf_counter()
    if existing < args.responses:
        synthetic_responses(campaign, Audience.CITIZENS, args.responses - existing, profile, rng, batch_size=5000)
    generated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE governance_answer")
            cursor.execute("VACUUM ANALYZE governance_response")
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        results = scoring.compute(campaign)
        timings.append((time.perf_counter() - started) * 1000)
    answers = sum(principle.sources["citizens"].count for principle in results.principles)
    print(
        json.dumps(
            {
                "campaign": campaign.pk,
                "citizen_responses": results.responses["citizens"],
                "citizen_answers_counted": answers,
                "generated_s": round(generated, 1),
                "compute_ms": [round(t, 1) for t in timings],
                "compute_median_ms": round(statistics.median(timings), 1),
                "overall": round(results.overall, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
