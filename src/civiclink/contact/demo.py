"""Demo contact topics and ten messages in the programme's languages: new ones, answered ones with the reply,
closed ones with notes. Safe to run again: topics are matched by name, messages by sender and subject. No e-mail
leaves: the demo stores the messages as if they had come in."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civiclink.contact.models import Event, Message, State, Topic
from civiclink.contact.receiving import DUPLICATE_SECONDS, fingerprint
from civiclink.core import codes

STAFF = "staff@demo.civiclink.local"

# key, name (Bosnian), translations, staff answer it, further addresses
TOPICS = [
    ("general", "Opća pitanja", {"hr": "Opća pitanja", "sr": "Општа питања", "mk": "Општи прашања",
     "sq": "Pyetje të përgjithshme", "en": "General questions"}, True, ""),
    ("eloge", "Dobro upravljanje (ELoGE)", {"hr": "Dobro upravljanje (ELoGE)", "sr": "Добро управљање (ELoGE)",
     "mk": "Добро управување (ELoGE)", "sq": "Qeverisja e mirë (ELoGE)", "en": "Good governance (ELoGE)"}, True, ""),
    ("participation", "Učešće građana", {"hr": "Sudjelovanje građana", "sr": "Учешће грађана",
     "mk": "Учество на граѓаните", "sq": "Pjesëmarrja e qytetarëve", "en": "Citizen participation"}, True, ""),
    ("benches", "Pametne klupe", {"hr": "Pametne klupe", "sr": "Паметне клупе", "mk": "Паметни клупи",
     "sq": "Stolat inteligjentë", "en": "Smart benches"}, False, "benches@demo.civiclink.local"),
    ("grants", "Grantovi za organizacije civilnog društva", {"hr": "Potpore za organizacije civilnoga društva",
     "sr": "Грантови за организације цивилног друштва", "mk": "Грантови за граѓански организации",
     "sq": "Grante për organizatat e shoqërisë civile", "en": "Grants for CSOs"}, True, ""),
    ("trainings", "Obuke", {"hr": "Obuke", "sr": "Обуке", "mk": "Обуки", "sq": "Trajnime", "en": "Trainings"},
     True, ""),
    ("press", "Za medije", {"hr": "Za medije", "sr": "За медије", "mk": "За медиумите", "sq": "Për mediat",
     "en": "Press"}, True, "press@demo.civiclink.local"),
    ("gdpr", "Zahtjevi u vezi s ličnim podacima (GDPR)", {"hr": "Zahtjevi u vezi s osobnim podacima (GDPR)",
     "sr": "Захтјеви у вези са личним подацима (GDPR)", "mk": "Барања за личните податоци (GDPR)",
     "sq": "Kërkesa për të dhënat personale (GDPR)", "en": "Personal data requests (GDPR)"}, True, ""),
]  # fmt: skip

# topic, language, days ago, name, e-mail, subject, message, state, [(kind, days ago, text)]; signed in: citizen
MESSAGES = [
    ("general", "bs", 1, "Selma Hadžić", "selma.hadzic@example.ba", "Kako se uključiti u program?",
     "Poštovani, radim u mjesnoj zajednici u Maglaju i zanima me kako se naša općina može uključiti u program. "
     "Ima li rok za prijavu?", State.NEW, []),
    ("eloge", "en", 12, "Mark Evans", "mark.evans@example.org", "ELoGE criteria for small municipalities",
     "Hello, are the ELoGE benchmark's criteria the same for a municipality of 2,000 people as for a city? "
     "We are writing a comparative study.", State.ANSWERED,
     [("reply", 10, "Dear Mr Evans, the twelve principles are the same for every municipality, but the "
       "stakeholders' platform may adapt indicators to the municipality's size. The adapted benchmark is "
       "published on the good governance pages. Kind regards")]),
    ("benches", "sr", 2, "Милан Петровић", "milan.petrovic@example.rs", "Клупа у парку не пуни телефон",
     "Паметна клупа у градском парку у Требињу већ три дана не пуни телефоне. Екран ради.", State.NEW, []),
    ("grants", "hr", 40, "Ivana Kovač", "ivana.kovac@example.hr", "Rok za prijavu na natječaj",
     "Poštovani, možemo li prijavu poslati i poštom ili samo putem platforme?", State.CLOSED,
     [("reply", 38, "Poštovana gospođo Kovač, prijave primamo samo putem platforme, kako bi ih svi ocjenjivači "
       "vidjeli na isti način. Rado ćemo pomoći ako zapne. Srdačan pozdrav"), ("closed", 30, "")]),
    ("trainings", "sq", 3, "Arben Krasniqi", "arben.krasniqi@example.org", "Trajnimi për planin lokal të veprimit",
     "Përshëndetje, a ka vende të lira për trajnimin e ardhshëm për planet lokale të veprimit?", State.NEW, []),
    ("participation", "mk", 9, "Елена Стојановска", "elena.stojanovska@example.mk", "Јавна консултација",
     "Дали граѓаните од други општини можат да учествуваат во јавната консултација за буџетот?",
     State.ANSWERED, [("note", 8, "Asked the officer in Mostar; the process is open to residents only."),
                      ("reply", 7, "Почитувана госпоѓо Стојановска, консултацијата е отворена само за жителите "
                       "на општината. Поздрав")]),
    ("gdpr", "bs", 5, "Amra Hodžić", "citizen@demo.civiclink.local", "Uvid u moje lične podatke",
     "Molim vas za kopiju svih podataka koje platforma čuva o meni.", State.ANSWERED,
     [("reply", 4, "Poštovana, kopiju podataka možete u svakom trenutku preuzeti sami na stranici svog "
       "profila (Preuzmite svoje podatke). Srdačan pozdrav")]),
    ("press", "sr-latn", 60, "Jovana Ilić", "jovana.ilic@example.rs", "Akreditacija za završnu konferenciju",
     "Dobar dan, da li je potrebna akreditacija za novinare za završnu konferenciju programa?", State.CLOSED,
     [("note", 59, "Forwarded to the events team."),
      ("reply", 58, "Poštovana, akreditacija nije potrebna, dovoljno je da se prijavite na ulazu. Srdačno"),
      ("closed", 50, "")]),
    ("press", "en", 0, "Sarah Collins", "sarah.collins@example.com", "Interview about the smart benches",
     "Could someone from the programme give a short interview about the smart benches next week?", State.NEW, []),
    ("participation", "bs", 6, "Amra Hodžić", "citizen@demo.civiclink.local", "Prijedlog za rasvjetu",
     "Moj prijedlog o rasvjeti u mahali nije vidljiv. Da li ga je neko sakrio?", State.NEW,
     [("note", 5, "Checked: the proposal is pending review after three reports.")]),
]  # fmt: skip


def _topics(staff) -> dict[str, Topic]:
    topics = {}
    for order, (key, name, translations, answered_by_staff, addresses) in enumerate(TOPICS):
        topic, created = Topic.objects.get_or_create(
            name=name,
            defaults={
                "language": "bs",
                "translations": {code: {"name": text} for code, text in translations.items()},
                "notify_addresses": addresses,
                "order": order * 10,
            },
        )
        if created and answered_by_staff and staff:
            topic.responsible.add(staff)
        topics[key] = topic
    return topics


def _message(topics, entry, now, staff, user_model) -> bool:
    key, language, days, name, email, subject, body, state, events = entry
    if Message.objects.filter(email=email, subject=subject).exists():
        return False
    received = now - datetime.timedelta(days=days, hours=3)
    history = [(kind, now - datetime.timedelta(days=ago), text) for kind, ago, text in events]
    message = Message.objects.create(
        reference=codes.new_code(),
        name=name,
        email=email,
        subject=subject,
        body=body,
        topic=topics[key],
        language=language,
        user=user_model.objects.filter(email=email).first(),
        state=state,
        created_at=received,
        state_changed_at=max([received, *(at for kind, at, _text in history if kind != "note")]),
        fingerprint=fingerprint(email, body),
        received_window=int(received.timestamp()) // DUPLICATE_SECONDS,
    )
    Event.objects.bulk_create(
        Event(message=message, kind=kind, author=staff, text=text, created_at=at) for kind, at, text in history
    )
    return True


@transaction.atomic
def load() -> str:
    user_model = get_user_model()
    staff = user_model.objects.filter(email=STAFF).first()
    topics = _topics(staff)
    now = timezone.now()
    added = sum(_message(topics, entry, now, staff, user_model) for entry in MESSAGES)
    return f"contact: {len(topics)} topics, {added} messages added ({Message.objects.count()} in the inbox)"
