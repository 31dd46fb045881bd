"""Fictional CSOs on top of the demo data, so that the directory is measured at the size it will have in service.

Run with the benchmark's environment (DATABASE_URL and friends): ``python bench/generate.py --verified 1000``.
Seeded, so two runs make the same data; safe to run again (it only tops up to the target).
"""

import argparse
import datetime
import os
import random

# Words that make plausible Bosnian, Croatian and Serbian association names; the combinations are invented.
KINDS = [
    "Udruženje",
    "Udruženje građana",
    "Udruženje mladih",
    "Udruženje žena",
    "Omladinski centar",
    "Centar za razvoj",
    "Ekološko društvo",
    "Kulturno-umjetničko društvo",
    "Fondacija",
    "Forum",
    "Građanska inicijativa",
    "Klub",
]
NAMES = [
    "Izvor", "Zora", "Lipa", "Kamen", "Jasen", "Vidik", "Sunčani put", "Korijen", "Svitanje", "Most nade",
    "Zeleni krug", "Naša ulica", "Bistrica", "Vrelo", "Kap", "Sjenica", "Putokaz", "Ognjište", "Brijest",
    "Ravnica", "Bašta", "Novi korak", "Svjetionik", "Hrast", "Sutra", "Dobar komšija", "Žubor", "Otvorena vrata",
    "Krila", "Zajedno",
]  # fmt: skip
ACTIVITIES = [
    "Runs workshops and volunteering actions for residents of {place}.",
    "Monitors the work of the municipal council of {place} and publishes plain-language summaries.",
    "Organises clean-ups, tree planting and recycling drives around {place}.",
    "Offers free legal and social advice to vulnerable households in {place}.",
    "Keeps local crafts, songs and festivals of {place} alive.",
    "Supports small farmers and producers around {place} in selling together.",
    "Runs a youth club with homework help, sport and a job corner in {place}.",
    "Advocates for accessible public spaces and services in {place}.",
]
VERIFIED_AT = datetime.datetime(2023, 1, 15, 10, 0, tzinfo=datetime.UTC)


def generate(verified: int, pending: int, seed: int = 2026) -> str:
    """Top the directory up to `verified` listed CSOs plus `pending` unverified ones (which the directory hides)."""
    from django.db import transaction
    from django.utils.text import slugify

    from civiclink.core.i18n import search_key
    from civiclink.core.pagecache import expire_pages
    from civiclink.places.models import Municipality, NetworkMembership, Organisation, Sector

    rng = random.Random(seed)
    municipalities = list(Municipality.objects.order_by("name"))
    sectors = list(Sector.objects.order_by("slug"))
    if not municipalities or not sectors:
        raise SystemExit("Load the demo data first (civiclink demo --no-serve).")
    wanted = [(True, max(0, verified - Organisation.objects.filter(verified=True).count()))]
    wanted.append((False, max(0, pending - Organisation.objects.filter(verified=False).count())))
    start = Organisation.objects.filter(registration_number__startswith="GEN-").count()
    organisations = []
    for is_verified, count in wanted:
        for _ in range(count):
            number = start + len(organisations) + 1
            municipality = rng.choice(municipalities)
            legal_name = f"{rng.choice(KINDS)} „{rng.choice(NAMES)}” {municipality.name}"
            short_name = f"{rng.choice(NAMES)} {number}"
            description = rng.choice(ACTIVITIES).format(place=municipality.name)
            organisations.append(
                Organisation(
                    legal_name=legal_name,
                    short_name=short_name,
                    slug=f"{slugify(search_key(short_name))}-{number}",
                    registration_number=f"GEN-{number:05d}",
                    municipality=municipality,
                    description=description,
                    language="en",
                    email=f"info{number}@example.org",
                    founded_year=rng.randint(1995, 2024),
                    verified=is_verified,
                    verified_at=VERIFIED_AT if is_verified else None,
                    # bulk_create skips Organisation.save(), which is what fills the search column.
                    search_text=search_key(f"{legal_name} {short_name} {description}"),
                )
            )
    with transaction.atomic():
        created = Organisation.objects.bulk_create(organisations, batch_size=500)
        through = Organisation.sectors.through
        links = [
            through(organisation_id=organisation.pk, sector_id=sector.pk)
            for organisation in created
            for sector in rng.sample(sectors, rng.randint(1, 3))
        ]
        through.objects.bulk_create(links, batch_size=1000)
        members = [
            NetworkMembership(organisation=organisation, joined_on=datetime.date(2023, 1 + i % 12, 1 + i % 28))
            for i, organisation in enumerate(created)
            if organisation.verified and rng.random() < 0.3
        ]
        NetworkMembership.objects.bulk_create(members)
    expire_pages()  # bulk_create sends no signals
    listed = Organisation.objects.filter(verified=True).count()
    return f"{len(created)} generated: {listed} verified CSOs, {NetworkMembership.objects.count()} network members"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verified", type=int, default=1000, help="verified CSOs wanted in all (default 1000)")
    parser.add_argument("--pending", type=int, default=50, help="unverified CSOs wanted in all (default 50)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()
    print(generate(args.verified, args.pending))


if __name__ == "__main__":
    main()
