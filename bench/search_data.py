"""The search benchmark's data: `--items` searchable objects on top of the demo, in Bosnian, English and Serbian
Cyrillic, indexed in bulk.

Run with the benchmark's environment (DATABASE_URL and friends), after `civiclink demo --no-serve`:
``python bench/search_data.py --items 100000``. Four in five items are proposals in published processes (one entry
each, shown in every language), one in five verified organisations (one entry per site language, as indexing
writes them). Texts are drawn from a vocabulary with Zipf-like frequencies, so that some words are in a large share
of the texts and others in a handful. The objects are bulk-inserted (no signals), then `index.rebuild` writes their
entries as the indexing task would, in chunks. Prints one JSON line: how many rows each benchmark query matches in
Bosnian, row counts, timings, and a session cookie of the demo citizen for signed-in loads.
Seeded; safe to run again (what exists is kept).
"""

import argparse
import json
import os
import random
import time

SLUG = "bench-search-{number:02}"
# (query, what it stands for): the loads of bench/search.py.
QUERIES = [
    ("park", "common word"),
    ("vodoskok", "rare word"),
    ("klupe rasvjeta", "two words"),
    ("школа", "Cyrillic query"),
    ("cesma", "without diacritics"),
    ("xylofonqz", "no hits"),
]
RARE, RARE_SHARE = "vodoskok", 1 / 2000  # in about one text in two thousand
FUNCTION_WORDS = {
    "bs": "i u na za sa od do kod uz pored ispred iza prema",
    "en": "the and of in on for with at by near to from",
}
WORDS = {
    "bs": """park ulica škola klupe rasvjeta put trotoar igralište rijeka most zelena površina autobus stanica parking
kanalizacija voda smeće kontejneri biciklistička staza drveće sport dvorana mladi djeca penzioneri tržnica centar
mjesna zajednica općina budžet projekat sigurnost semafor pješački prelaz asfalt rupe čišćenje obala kultura
biblioteka dom zdravlja ambulanta vrtić internet punjač solarni paneli energija grijanje zgrada fasada krov stepenice
pristup rampa ograda cvijeće sjenica spomenik trg pijaca festival koncert izložba turizam planinarska jezero ribolov
šuma požar poplava klizište zaštita životinje azil veterinar novi stari potrebno urediti popraviti postaviti
izgraditi produžiti očistiti zamijeniti osvijetliti proširiti bolji sigurniji više manje naselje stanari vikendom
ljeti zimi noću česma fontana""",
    "en": """park street school benches lighting road pavement playground river bridge green area bus stop parking
sewage water rubbish bins cycle lane trees sports hall youth children pensioners market centre community municipality
budget project safety traffic lights crossing asphalt potholes cleaning riverbank culture library health clinic
kindergarten internet charger solar panels energy heating building facade roof stairs access ramp fence flowers
shelter monument square festival concert exhibition tourism hiking trail lake fishing forest fire flood landslide
protection animals dogs vet new old needed repair install build extend clean replace widen better safer more fewer
neighbourhood residents weekends summer winter night drinking fountain""",
}


def vocabulary(language: str) -> tuple[list[str], list[float]]:
    """Function words first (the most frequent), then content words with Zipf weights 1/rank^1.5: the first content
    word is in about two texts in five, the last in one in fifty."""
    words = FUNCTION_WORDS[language].split() + WORDS[language].split()
    return words, [1 / (rank + 1) ** 1.5 for rank in range(len(words))]


def sentence(rng: random.Random, language: str, words: int) -> str:
    from civiclink.core.i18n import to_cyrillic

    pool, weights = vocabulary("en" if language == "en" else "bs")
    chosen = rng.choices(pool, weights, k=words)
    if rng.random() < RARE_SHARE:
        chosen[rng.randrange(words)] = RARE
    text = " ".join(chosen)
    text = text[0].upper() + text[1:]
    return to_cyrillic(text) if language == "sr" else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from civiclink.accounts.models import User
    from civiclink.core.i18n import search_key
    from civiclink.participation.models import Process, ProcessFeature, Proposal
    from civiclink.places.models import Municipality, Organisation
    from civiclink.search import index, query
    from civiclink.search.models import SearchEntry
    from signin import signed_in

    rng = random.Random(100_000)
    languages = ["bs", "bs", "en", "sr"]  # half the texts in Bosnian, a quarter each in English and Serbian
    started = time.perf_counter()
    organisations_wanted = args.items // 5
    proposals_wanted = args.items - organisations_wanted
    municipalities = list(Municipality.objects.order_by("pk"))
    if not Process.objects.filter(slug=SLUG.format(number=0)).exists():
        with transaction.atomic():
            processes = []
            for number in range(args.processes):
                language = languages[number % len(languages)]
                process = Process.objects.create(
                    slug=SLUG.format(number=number),
                    municipality=municipalities[number % len(municipalities)],
                    language=language,
                    title=sentence(rng, language, 5),
                    summary=sentence(rng, language, 15),
                    description=sentence(rng, language, 60),
                    published=True,
                )
                ProcessFeature.objects.create(process=process, feature="proposals")
                processes.append(process)
            proposals = []
            for number in range(proposals_wanted):
                process = processes[number % len(processes)]
                title = sentence(rng, process.language, rng.randint(4, 9))
                body = sentence(rng, process.language, rng.randint(25, 90))
                proposals.append(
                    Proposal(process=process, title=title, body=body, search_text=search_key(f"{title} {body}"))
                )
            Proposal.objects.bulk_create(proposals, batch_size=5000)
            organisations = []
            for number in range(organisations_wanted):
                language = languages[number % len(languages)]
                name = sentence(rng, language, rng.randint(3, 6))
                organisations.append(
                    Organisation(
                        legal_name=f"{name} {number}",
                        slug=f"bench-search-{number}",
                        registration_number=f"BENCH-{number}",
                        municipality=municipalities[number % len(municipalities)],
                        language=language,
                        description=sentence(rng, language, rng.randint(20, 60)),
                        verified=True,
                        verified_at=timezone.now(),
                        search_text=search_key(name),
                    )
                )
            Organisation.objects.bulk_create(organisations, batch_size=5000)
    generated = time.perf_counter() - started

    started = time.perf_counter()
    counts = index.rebuild(["proposal", "organisation"])
    indexed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchentry")

    matches = {}
    for text, _meaning in QUERIES:
        results = query.search(None, text, "bs")
        matches[text] = results.total
    citizen = User.objects.get(email="citizen@demo.civiclink.local")
    print(
        json.dumps(
            {
                "matches": matches,
                "entries": SearchEntry.objects.count(),
                "bosnian_entries": SearchEntry.objects.filter(language__in=["bs", ""]).count(),
                "indexed": counts,
                "generated_s": round(generated, 1),
                "indexed_s": round(indexed, 1),
                **signed_in(citizen),
            }
        )
    )


if __name__ == "__main__":
    main()
