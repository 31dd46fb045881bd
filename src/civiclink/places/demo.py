"""Demo directory: the programme's 12 municipalities (2013 census, approximate), communities and fictional CSOs."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from civiclink.core.i18n import search_key
from civiclink.places.models import (
    Coalition,
    CoalitionMembership,
    JointStatement,
    LocalCommunity,
    Municipality,
    NetworkMembership,
    Organisation,
    Sector,
    StatementSignature,
)

HNK, ZDK = "Herzegovina-Neretva Canton", "Zenica-Doboj Canton"

# name, Cyrillic name, entity, region, population, latitude, longitude, local communities (Latin; RS ones also Cyrillic)
MUNICIPALITIES = [
    ("Mostar", "", "FBiH", HNK, 105800, 43.3438, 17.8078,
     ["Centar I", "Brankovac", "Zahum", "Cim", "Bijeli Brijeg", "Rudnik", "Blagaj"]),
    ("Jablanica", "", "FBiH", HNK, 10100, 43.6603, 17.7617, ["Jablanica", "Ostrožac", "Doljani", "Donja Jablanica"]),
    ("Ravno", "", "FBiH", HNK, 3200, 42.8886, 17.9633, ["Ravno", "Trebimlja", "Zavala", "Slivnica"]),
    ("Zavidovići", "", "FBiH", ZDK, 36000, 44.4458, 18.1497, ["Centar", "Kovači", "Gostović", "Vozuća", "Brezik"]),
    ("Žepče", "", "FBiH", ZDK, 30200, 44.4267, 18.0378, ["Žepče", "Ozimica", "Golubinja", "Lug"]),
    ("Maglaj", "", "FBiH", ZDK, 23100, 44.5472, 18.1000, ["Maglaj", "Novi Šeher", "Bočinja", "Misurići"]),
    ("Nevesinje", "Невесиње", "RS", "", 13000, 43.2586, 18.1133, ["Nevesinje", "Biograd", "Zovi Do", "Kifino Selo"]),
    ("Berkovići", "Берковићи", "RS", "", 2100, 43.0931, 18.1683, ["Berkovići", "Hodovo", "Dabrica"]),
    ("Trebinje", "Требиње", "RS", "", 31400, 42.7119, 18.3433,
     ["Gradska zona", "Police", "Arslanagića Most", "Mostaći", "Zasad"]),
    ("Prijedor", "Приједор", "RS", "", 89400, 44.9797, 16.7136,
     ["Centar", "Urije", "Orlovača", "Ljubija", "Omarska", "Kozarac"]),
    ("Novi Grad", "Нови Град", "RS", "", 27100, 45.0475, 16.3783, ["Centar", "Poljavnice", "Rudice", "Dobrljin"]),
    ("Kostajnica", "Костајница", "RS", "", 6000, 45.2192, 16.5417, ["Kostajnica", "Mrakodol", "Tavija", "Slabinja"]),
]  # fmt: skip

# legal name, short name, municipality, sectors, founded, description (English), network member
ORGANISATIONS = [
    ("Udruženje mladih „Stari most”", "UM Stari most", "Mostar", ["youth", "education"], 2009,
     "Youth clubs, debating and volunteering for secondary-school pupils in Mostar.", True),
    ("Centar za građanske inicijative „Neretva”", "CGI Neretva", "Mostar", ["good-governance", "human-rights"], 2004,
     "Monitors the city council and helps residents put questions to the administration.", True),
    ("Ekološko društvo „Zeleni Hum”", "Zeleni Hum", "Mostar", ["environment"], 2012,
     "Clean-ups of the Neretva banks and a citizens' air-quality map.", True),
    ("Udruženje žena „Bosiljak”", "Bosiljak", "Mostar", ["gender-equality", "social-inclusion"], 2001,
     "Support, legal advice and small-business training for women.", False),
    ("Udruženje „Kulturni krug Blagaj”", "KK Blagaj", "Mostar", ["culture"], 2015,
     "Keeps the crafts and stories of Blagaj alive with workshops and a summer festival.", False),
    ("Planinarsko-ekološko društvo „Prenj”", "PED Prenj", "Jablanica", ["environment", "sport"], 1998,
     "Marks and maintains mountain paths and teaches safety in the mountains.", True),
    ("Udruženje građana „Most za Jablanicu”", "Most za Jablanicu", "Jablanica", ["local-development"], 2016,
     "Brings residents and the municipality together on small public works.", False),
    ("Udruženje penzionera „Ostrožac”", "UP Ostrožac", "Jablanica", ["social-inclusion", "health"], 2003,
     "Social evenings, health checks and help at home for older people.", False),
    ("Udruženje „Ravno naprijed”", "Ravno naprijed", "Ravno", ["local-development", "agriculture"], 2018,
     "Helps small farmers in the villages of Popovo polje sell together.", True),
    ("Kulturno-umjetničko društvo „Zavala”", "KUD Zavala", "Ravno", ["culture"], 1996,
     "Folk dance and song of eastern Herzegovina for children and adults.", False),
    ("Omladinski centar „Krivaja”", "OC Krivaja", "Zavidovići", ["youth", "sport"], 2010,
     "A youth centre with sports, music rehearsal rooms and a job club.", True),
    ("Udruženje „Glas građana Zavidovića”", "Glas građana", "Zavidovići", ["good-governance", "media"], 2008,
     "Publishes plain-language summaries of council decisions.", True),
    ("Udruženje osoba s invaliditetom „Korak”", "Korak", "Zavidovići", ["disability", "social-inclusion"], 2002,
     "Campaigns for accessible public buildings and runs a day centre.", True),
    ("Ekološko udruženje „Bosna zelena”", "Bosna zelena", "Zavidovići", ["environment"], 2014,
     "River monitoring and school programmes on waste and recycling.", False),
    ("Udruženje „Žepačke žene”", "Žepačke žene", "Žepče", ["gender-equality", "agriculture"], 2011,
     "Women's cooperative for dried fruit and honey, with training in bookkeeping.", True),
    ("Centar za mlade „Žepče”", "CZM Žepče", "Žepče", ["youth", "education"], 2013,
     "Homework help, language courses and a youth council for the municipality.", False),
    ("Udruženje „Lug zajedno”", "Lug zajedno", "Žepče", ["local-development"], 2019,
     "Residents of Lug who maintain the community hall and the playground.", False),
    ("Udruženje „Maglajski most”", "Maglajski most", "Maglaj", ["human-rights", "social-inclusion"], 2000,
     "Reconciliation and neighbourhood projects between communities of Maglaj.", True),
    ("Omladinska organizacija „Novi Šeher”", "OO Novi Šeher", "Maglaj", ["youth"], 2017,
     "Summer camps and volunteering actions in the villages around Novi Šeher.", False),
    ("Udruženje za zaštitu okoliša „Bosna”", "UZO Bosna", "Maglaj", ["environment", "health"], 2006,
     "Flood preparedness and riverbank restoration after the 2014 floods.", True),
    ("Udruženje „Nevesinjska ljetna škola”", "Ljetna škola", "Nevesinje", ["education", "youth"], 2012,
     "Summer school of science and crafts for rural children.", True),
    ("Udruženje poljoprivrednika „Nevesinjsko polje”", "Nevesinjsko polje", "Nevesinje", ["agriculture"], 2005,
     "Joint purchasing and advice for potato and livestock farmers.", False),
    ("Udruženje „Volonteri Nevesinja”", "Volonteri Nevesinja", "Nevesinje", ["social-inclusion"], 2020,
     "Volunteers who deliver food and medicine to isolated households.", False),
    ("Udruženje „Berkovići sutra”", "Berkovići sutra", "Berkovići", ["local-development", "youth"], 2019,
     "Keeps young people in Berkovići with small enterprise and tourism ideas.", True),
    ("Udruženje „Dabrica”", "Dabrica", "Berkovići", ["culture", "agriculture"], 2010,
     "Rebuilds dry-stone walls and revives traditional village life.", False),
    ("Centar za demokratiju „Trebišnjica”", "CD Trebišnjica", "Trebinje", ["good-governance", "human-rights"], 2003,
     "Trains local community councils and observes public consultations.", True),
    ("Udruženje „Platani”", "Platani", "Trebinje", ["culture", "education"], 2014,
     "Reading clubs, a book fair and creative writing for all ages.", False),
    ("Udruženje roditelja djece s posebnim potrebama „Sunce”", "Sunce", "Trebinje", ["disability", "health"], 2007,
     "Therapy, inclusive play and advocacy for children with disabilities.", True),
    ("Ekološko društvo „Leotar”", "Leotar", "Trebinje", ["environment", "sport"], 2011,
     "Reforestation of the hills above Trebinje and cycling routes.", False),
    ("Udruženje „Građanski forum Prijedor”", "Građanski forum", "Prijedor", ["good-governance", "media"], 2001,
     "Public forums on the city budget and a local investigative newsletter.", True),
    ("Udruženje žena „Kozarčanka”", "Kozarčanka", "Prijedor", ["gender-equality", "human-rights"], 1999,
     "Counselling for women survivors of violence and a safe house network.", True),
    ("Omladinski savez „Sana”", "OS Sana", "Prijedor", ["youth", "sport"], 2008,
     "Umbrella of youth groups in Prijedor: festivals, exchanges and sport.", True),
    ("Udruženje „Rudarski kraj Ljubija”", "Rudarski kraj", "Prijedor", ["culture", "local-development"], 2016,
     "Mining heritage trail and a museum room run by volunteers.", False),
    ("Udruženje „Zdrav život”", "Zdrav život", "Prijedor", ["health"], 2012,
     "Free health screenings and public talks on prevention.", False),
    ("Udruženje „Una zajedno”", "Una zajedno", "Novi Grad", ["environment", "local-development"], 2010,
     "Protects the Una river and promotes rafting and eco-tourism.", True),
    ("Udruženje mladih „Novi talas”", "Novi talas", "Novi Grad", ["youth", "media"], 2018,
     "A youth radio show and workshops in media literacy.", False),
    ("Udruženje „Dobrljin za sve”", "Dobrljin za sve", "Novi Grad", ["social-inclusion"], 2015,
     "Community kitchen and support for returnees in Dobrljin.", False),
    ("Udruženje „Kostajnički most”", "Kostajnički most", "Kostajnica", ["local-development", "culture"], 2009,
     "Cross-border cultural exchange along the Una with neighbours in Croatia.", True),
    ("Udruženje „Mrakodol”", "UG Mrakodol", "Kostajnica", ["agriculture", "environment"], 2013,
     "Orchards, beekeeping and organic farming for small households.", False),
    ("Udruženje „Aktivni penzioneri Kostajnice”", "Aktivni penzioneri", "Kostajnica", ["health", "social-inclusion"], 2006,
     "Exercise groups, digital skills and friendship for older residents.", False),
]  # fmt: skip

COALITIONS = [
    {
        "name": "Coalition for Open Municipalities",
        "slug": "open-municipalities",
        "purpose": "Member organisations press municipalities to publish council materials, budgets and "
        "public procurement in time and in plain language, and to answer citizens' questions.",
        "translations": {
            "bs": {
                "name": "Koalicija za otvorene općine",
                "purpose": "Članice traže od općina da na vrijeme i razumljivim jezikom objavljuju materijale "
                "vijeća, budžete i javne nabavke te da odgovaraju na pitanja građana.",
            }
        },
        "members": ["CGI Neretva", "Glas građana", "CD Trebišnjica", "Građanski forum", "Maglajski most"],
        "statement": {
            "title": "Municipal budgets must be readable by every citizen",
            "slug": "readable-budgets",
            "body": "We, the undersigned organisations, call on every municipality of the network to publish "
            "its draft budget at least thirty days before the council votes on it, together with a summary in "
            "plain language, and to hold at least one public hearing in a local community outside the centre.\n\n"
            "Citizens cannot take part in decisions they cannot read.",
            "translations": {
                "bs": {
                    "title": "Općinski budžeti moraju biti razumljivi svakom građaninu",
                    "body": "Mi, potpisane organizacije, pozivamo svaku općinu u mreži da nacrt budžeta objavi "
                    "najmanje trideset dana prije nego što o njemu glasa vijeće, uz sažetak pisan jednostavnim "
                    "jezikom, i da održi barem jednu javnu raspravu u mjesnoj zajednici izvan centra.\n\n"
                    "Građani ne mogu učestvovati u odlukama koje ne mogu pročitati.",
                },
            },
            "signers": ["CGI Neretva", "Glas građana", "CD Trebišnjica"],
        },
    },
    {
        "name": "Green Rivers Coalition",
        "slug": "green-rivers",
        "purpose": "Environmental organisations along the Neretva, Bosna and Una working together for "
        "clean rivers, flood safety and the public's say in permits for small hydropower plants.",
        "translations": {
            "bs": {
                "name": "Koalicija za zelene rijeke",
                "purpose": "Ekološke organizacije uz Neretvu, Bosnu i Unu zajedno rade za čiste rijeke, "
                "zaštitu od poplava i pravo javnosti da učestvuje u izdavanju dozvola za male hidroelektrane.",
            }
        },
        "members": ["Zeleni Hum", "PED Prenj", "UZO Bosna", "Una zajedno"],
        "statement": None,
    },
]


def _sector_map() -> dict[str, Sector]:
    return {sector.slug: sector for sector in Sector.objects.all()}


@transaction.atomic
def load() -> str:
    municipalities = {}
    for name, cyrillic, entity, region, population, lat, lon, communities in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(
            slug=slugify(search_key(name)),
            defaults=dict(
                name=name, name_cyrillic=cyrillic, entity=entity, region=region, population=population,
                latitude=lat, longitude=lon, language="sr" if cyrillic else "bs",
            ),
        )  # fmt: skip
        municipalities[name] = municipality
        for community in communities:
            LocalCommunity.objects.get_or_create(
                municipality=municipality,
                slug=slugify(search_key(community)),
                defaults={"name": community, "language": municipality.language},
            )
    sectors = _sector_map()
    organisations = {}
    verified_at = timezone.make_aware(datetime.datetime(2022, 3, 1, 9, 0))
    for number, (legal_name, short, municipality, sector_slugs, founded, description, member) in enumerate(
        ORGANISATIONS, start=1
    ):
        organisation, created = Organisation.objects.get_or_create(
            slug=slugify(search_key(short)),
            defaults=dict(
                legal_name=legal_name, short_name=short, registration_number=f"RU-{1000 + number}/DEMO",
                municipality=municipalities[municipality], description=description, language="en",
                founded_year=founded, verified=True, verified_at=verified_at,
                email=f"info@{slugify(search_key(short))}.example.org",
            ),
        )  # fmt: skip
        if created:
            organisation.sectors.set([sectors[slug] for slug in sector_slugs])
        organisations[short] = organisation
        if member:
            NetworkMembership.objects.get_or_create(
                organisation=organisation, defaults={"joined_on": datetime.date(2022, 5, 1 + number % 28)}
            )
    for spec in COALITIONS:
        coalition, _ = Coalition.objects.get_or_create(
            slug=spec["slug"],
            defaults=dict(
                name=spec["name"], purpose=spec["purpose"], founded_on=datetime.date(2022, 10, 12),
                language="en", translations=spec["translations"],
            ),
        )  # fmt: skip
        for short in spec["members"]:
            CoalitionMembership.objects.get_or_create(
                coalition=coalition, organisation=organisations[short], defaults={"joined_on": coalition.founded_on}
            )
        if statement_spec := spec["statement"]:
            statement, _ = JointStatement.objects.get_or_create(
                coalition=coalition,
                slug=statement_spec["slug"],
                defaults=dict(
                    title=statement_spec["title"], body=statement_spec["body"], language="en",
                    published_on=datetime.date(2023, 3, 15), translations=statement_spec["translations"],
                ),
            )  # fmt: skip
            for short in statement_spec["signers"]:
                StatementSignature.objects.get_or_create(statement=statement, organisation=organisations[short])
    return (
        f"{Municipality.objects.count()} municipalities, {LocalCommunity.objects.count()} local communities, "
        f"{Organisation.objects.count()} organisations, {Coalition.objects.count()} coalitions"
    )
