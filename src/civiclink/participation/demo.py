"""Demo participatory processes, written in each municipality's language: Mostar's call for problems and proposals
in its proposals phase (200 proposals with comments, supports, a poll and meetings), a finished process in Trebinje
whose results show what was done, and at least one process in every other municipality, some of them open only to
verified residents or to members of CSOs.

Seeded, so every run makes the same data (dates follow today); written in bulk, so it loads in seconds; run again,
it keeps what is there. The benchmark (bench/participation_data.py) builds its 1,000 proposals with the same code.

Supports, ballots and registrations need people: each municipality gets generated residents (addresses under
`<municipality>.demo.civiclink.local`, no usable password) verified as residents, one officer, and a member for
each of its CSOs.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from civiclink.core.i18n import search_key
from civiclink.core.pagecache import expire_pages
from civiclink.participation import access
from civiclink.participation.features import registry
from civiclink.participation.models import (
    Audience,
    Ballot,
    Category,
    Choice,
    Comment,
    DecisionStep,
    Endorsement,
    Meeting,
    ParticipationLevel,
    Phase,
    PhaseCapability,
    Poll,
    Process,
    ProcessFeature,
    Proposal,
    ProposalKind,
    ProposalState,
    Question,
    Registration,
    Residency,
    Result,
    ResultStatus,
    ResultUpdate,
    Source,
    Stance,
    StateChange,
    Support,
    SupportAllowance,
    TextAnswer,
    Vote,
)
from civiclink.places.models import Municipality, MunicipalRole, Organisation, OrganisationMembership

SEED = 2026
DEMO_DOMAIN = "demo.civiclink.local"
ANY, REG, VER, RES, CSO = (
    Audience.ANYONE,
    Audience.REGISTERED,
    Audience.VERIFIED_EMAIL,
    Audience.RESIDENT,
    Audience.CSO_MEMBER,
)
PROBLEM, PROPOSAL = ProposalKind.PROBLEM, ProposalKind.PROPOSAL
EVALUATION, ACCEPTED, REJECTED = ProposalState.EVALUATION, ProposalState.ACCEPTED, ProposalState.REJECTED
IN_PROGRESS, DONE = ProposalState.IN_PROGRESS, ProposalState.DONE


# --- People ----------------------------------------------------------------------------------------------------

NAMES = {
    "bs": (
        ["Amir", "Emina", "Adnan", "Lejla", "Edin", "Selma", "Haris", "Amela", "Kenan", "Merima", "Senad", "Aida",
         "Mirza", "Naida", "Dženan", "Jasmina", "Tarik", "Azra", "Elvir", "Sanela", "Nermin", "Belma", "Almir",
         "Edina", "Faruk", "Ajla"],
        ["Hadžić", "Bešlić", "Čolaković", "Hasanbegović", "Mehmedović", "Kurtović", "Mujić", "Omerović", "Pašić",
         "Sefić", "Zukić", "Alić", "Šehić", "Delić", "Karić", "Ćatić", "Jusufović", "Bajramović", "Velagić",
         "Spahić", "Mahmutović", "Tanović"],
    ),
    "hr": (
        ["Ivan", "Ana", "Marko", "Marija", "Josip", "Ivana", "Ante", "Kristina", "Mario", "Petra", "Tomislav",
         "Martina", "Stjepan", "Katarina", "Luka", "Nikolina", "Dario", "Mateja", "Frano", "Antonija"],
        ["Marić", "Perić", "Kovač", "Jurić", "Pavlović", "Bošnjak", "Zovko", "Ćorić", "Šimić", "Rozić", "Bevanda",
         "Martinović", "Raguž", "Primorac", "Knezović", "Sesar", "Prskalo", "Jelčić"],
    ),
    "sr": (
        ["Nikola", "Jelena", "Milan", "Dragana", "Dejan", "Snežana", "Bojan", "Milica", "Vladimir", "Tijana",
         "Goran", "Sanja", "Nemanja", "Jovana", "Željko", "Marina", "Srđan", "Vesna", "Stefan", "Ljiljana",
         "Dragan", "Bojana"],
        ["Petrović", "Jovanović", "Vuković", "Kovačević", "Savić", "Tomić", "Lukić", "Đurić", "Simić", "Mandić",
         "Bjelica", "Vujović", "Radović", "Šarić", "Popović", "Stojanović", "Ilić", "Gligorić", "Kecman",
         "Bulajić", "Vučurević", "Kuljić"],
    ),
}  # fmt: skip
# municipality: how many residents to generate, and how often their names come from the bs, hr and sr lists
RESIDENTS = {
    "mostar": (240, (5, 4, 1)),
    "jablanica": (25, (8, 2, 0)),
    "ravno": (15, (0, 9, 1)),
    "zavidovici": (25, (7, 1, 2)),
    "zepce": (40, (4, 6, 0)),
    "maglaj": (25, (7, 1, 2)),
    "nevesinje": (20, (1, 0, 9)),
    "berkovici": (12, (0, 0, 1)),
    "trebinje": (80, (0, 0, 1)),
    "prijedor": (30, (1, 0, 5)),
    "novi-grad": (25, (1, 0, 5)),
    "kostajnica": (12, (0, 0, 1)),
}
# the demo accounts (accounts/demo.py) who speak for their organisation
DEMO_MEMBERS = {"UM Stari most": "cso-member", "CGI Neretva": "cso-admin"}


# --- What people write: comments, official answers and state changes, per language ----------------------------


@dataclass(frozen=True)
class Pool:
    """What people write under any proposal of a process: opinions, questions, replies that fit what they answer;
    and the municipality's answers and reasons for state changes."""

    agree: tuple[str, ...]
    disagree: tuple[str, ...]  # only under proposals: nobody is against fixing a reported problem
    questions: tuple[str, ...]
    remarks: tuple[str, ...]
    replies: tuple[str, ...]  # to an opinion
    answers: tuple[str, ...]  # to a question
    acknowledge: tuple[str, ...]  # to the municipality's answer
    thanks: tuple[str, ...]  # the author, to those who agree
    official: tuple[str, ...]
    evaluation: str  # reason given when a proposal is sent to evaluation
    automatic: str  # ... when it gets there by supports
    accepted: tuple[str, ...]
    rejected: tuple[str, ...]
    progress: str
    done: str


POOLS = {
    "bs": Pool(
        agree=(
            "Podržavam! Svaki dan prolazim tuda i znam koliko je ovo potrebno.",
            "Potpuno se slažem. Isti problem imamo već godinama.",
            "Odlično, nadam se da će Grad ovo ovaj put ozbiljno shvatiti.",
            "Podrška od cijele naše zgrade. Potpisat ćemo i peticiju ako treba.",
            "Konačno neko da ovo napiše. Djeca su ovdje svaki dan.",
            "Slažem se, a dodajem da treba misliti i na starije koji se teško kreću.",
            "Ovo bi koristilo cijelom naselju, ne samo jednoj ulici.",
            "Podržavam, ovo je trebalo uraditi još prije nekoliko godina.",
            "Podržavam, a nije ni skupo kao što ljudi misle.",
            "Da, da i da. Hvala što ste ovo napisali.",
        ),
        disagree=(
            "Ne slažem se. Postoje preči problemi u ovom dijelu grada.",
            "Nisam za ovo, bojim se da će nestati parking mjesta kojih stanarima ionako nedostaje.",
            "Mislim da je ovo bacanje novca dok se ne riješi osnovno održavanje.",
            "Protiv sam, to bi privuklo buku i okupljanje do kasno u noć.",
            "Dobra namjera, ali ovako kako je predloženo neće riješiti problem.",
        ),
        questions=(
            "Zna li neko je li za ovo nadležan Grad ili Kanton?",
            "Je li ovo već prijavljeno mjesnoj zajednici? Tamo imaju spisak prioriteta.",
            "Koliko bi ovo otprilike koštalo? Ima li neko iskustvo iz drugih naselja?",
            "Je li ovo samo na jednom mjestu ili cijelom dužinom ulice?",
            "Da li je neko zvao komunalnu policiju?",
        ),
        remarks=(
            "Bilo bi dobro dodati fotografiju i tačnu lokaciju, da služba lakše pronađe mjesto.",
            "O ovome se raspravljalo i na zboru građana prošle godine, ali zaključak nije proveden.",
            "Možda bi se moglo riješiti i privremeno, dok se ne nađe novac za pravo rješenje.",
            "Isto je i dvije ulice dalje, pa bi trebalo riješiti sve odjednom.",
        ),
        replies=(
            "Tačno tako.",
            "Slažem se s prethodnim komentarom.",
            "Nije to najveći problem, ali ga svakako treba riješiti.",
            "Upravo tako, i ja prolazim tuda svaki dan.",
            "Imate pravo, samo da se ne zaboravi i održavanje poslije.",
        ),
        answers=(
            "Nadležan je Grad, provjereno u mjesnoj zajednici.",
            "Prijavljeno je, dobili smo broj predmeta, ali odgovora nema.",
            "Ne znam tačan iznos, ali u Zahumu je slično urađeno za manje od deset hiljada maraka.",
            "Zvali smo više puta, dođu, zapišu i ništa.",
        ),
        acknowledge=(
            "Hvala na odgovoru, pratimo šta će dalje biti.",
            "Hvala. Javite kad bude poznat tačan datum.",
        ),
        thanks=(
            "Hvala svima na podršci! Javit ću čim dobijemo odgovor.",
            "Hvala, drago mi je da nisam jedini koji to vidi. Podijelite s komšijama.",
        ),
        official=(
            "Hvala na prijavi. Služba za komunalne poslove izaći će na teren u narednih sedam dana i utvrditi stanje.",
            "Poštovani, prijedlog je proslijeđen nadležnoj službi. O odluci ćemo obavijestiti na ovoj stranici.",
            "Ova lokacija je već uvrštena u plan održavanja za ovu godinu. Radovi se očekuju do kraja kvartala.",
            "Molimo da u prijavi navedete tačnu lokaciju ili dodate fotografiju, kako bi ekipa brže pronašla mjesto.",
        ),
        evaluation="Prijedlog je proslijeđen nadležnoj službi na ocjenu.",
        automatic="Prijedlog je dobio potreban broj podrški i ide na ocjenu.",
        accepted=(
            "Prijedlog je prihvaćen. Radovi su uvršteni u plan održavanja za naredni kvartal, a o početku ćemo obavijestiti na ovoj stranici.",
            "Hvala na prijedlogu. Nadležna služba je izašla na teren i potvrdila da je intervencija potrebna; sredstva su osigurana iz budžeta za mjesne zajednice.",
            "Prijedlog je prihvaćen i bit će proveden zajedno s mjesnom zajednicom. Pratite ovu stranicu za novosti.",
        ),
        rejected=(
            "Na ovoj lokaciji je u izradi regulacioni plan, pa do njegovog usvajanja ne možemo odobriti nove zahvate. Prijedlog ćemo ponovo razmotriti kada plan bude usvojen.",
            "Prijedlog je dobar, ali troškovi znatno premašuju sredstva predviđena za mjesne zajednice ove godine. Preporučujemo da ga mjesna zajednica kandiduje za kapitalni budžet naredne godine.",
            "Isti zahtjev je već u postupku po ranijoj prijavi mjesne zajednice, pa ga vodimo tamo. Radovi su ugovoreni i počinju na proljeće.",
        ),
        progress="Izvođač je počeo s radovima.",
        done="Radovi su završeni. Hvala svima koji su prijavili i podržali prijedlog.",
    ),
    "hr": Pool(
        agree=(
            "Podržavam, ovo nam je stvarno potrebno.",
            "Slažem se, isti problem imamo već godinama.",
            "Odlično, nadam se da će se napokon nešto pokrenuti.",
            "Potpora od cijele naše obitelji.",
            "Ovo bi koristilo i djeci i starijima u selu.",
            "Konačno netko da to napiše.",
        ),
        disagree=(
            "Ne slažem se, ima prečih stvari u našoj mjesnoj zajednici.",
            "Mislim da je ovo preskupo za općinski proračun.",
        ),
        questions=(
            "Zna li netko je li za ovo nadležna općina ili županija?",
            "Je li ovo već prijavljeno mjesnoj zajednici?",
            "Koliko bi to otprilike stajalo?",
        ),
        remarks=(
            "Bilo bi dobro dodati fotografiju i točnu lokaciju.",
            "Isto je i u susjednom selu, trebalo bi riješiti zajedno.",
        ),
        replies=("Točno tako.", "Slažem se s prethodnim komentarom."),
        answers=("Prijavljeno je još prošle godine, ali odgovora nema.", "Nadležna je općina, pitali smo na sastanku."),
        acknowledge=("Hvala na odgovoru, pratimo što će dalje biti.",),
        thanks=("Hvala svima na potpori!",),
        official=(
            "Hvala na prijedlogu. Općinska služba izići će na teren i procijeniti stanje u sljedećih tjedan dana.",
            "Poštovani, prijedlog je proslijeđen nadležnoj službi. O odluci ćemo obavijestiti na ovoj stranici.",
        ),
        evaluation="Prijedlog je proslijeđen nadležnoj službi na procjenu.",
        automatic="Prijedlog je dobio potreban broj potpora i ide na procjenu.",
        accepted=("Prijedlog je prihvaćen i uvršten u plan radova za sljedeću godinu.",),
        rejected=(
            "Troškovi znatno premašuju sredstva predviđena za ovu namjenu, pa prijedlog ove godine nije prihvaćen.",
        ),
        progress="Radovi su počeli.",
        done="Radovi su završeni. Hvala svima koji su predložili i podržali.",
    ),
    "sr": Pool(
        agree=(
            "Подржавам, ово нам је заиста потребно.",
            "Слажем се, исти проблем имамо годинама.",
            "Одлично, надам се да ће се коначно нешто покренути.",
            "Подршка од цијеле наше улице.",
            "Ово би користило и дјеци и старијима.",
            "Коначно неко да то напише.",
        ),
        disagree=(
            "Не слажем се, има пречих ствари у нашој мјесној заједници.",
            "Мислим да је ово прескупо у односу на друге потребе.",
        ),
        questions=(
            "Да ли је ово већ пријављено мјесној заједници?",
            "Колико би ово отприлике коштало?",
            "Зна ли неко ко је надлежан за ово?",
        ),
        remarks=(
            "Било би добро додати фотографију и тачну локацију.",
            "О овоме се причало и на збору грађана, али се ништа није десило.",
        ),
        replies=("Тачно тако.", "Слажем се с претходним коментаром."),
        answers=("Пријављено је још прошле године, али одговора нема.", "Надлежно је комунално одјељење, питали смо."),
        acknowledge=("Хвала на одговору, пратимо шта ће даље бити.",),
        thanks=("Хвала свима на подршци!",),
        official=(
            "Хвала на приједлогу. Надлежна служба ће изаћи на терен и процијенити стање у наредних седам дана.",
            "Поштовани, приједлог је прослијеђен надлежном одјељењу. О одлуци ћемо обавијестити на овој страници.",
        ),
        evaluation="Приједлог је прослијеђен надлежном одјељењу на оцјену.",
        automatic="Приједлог је добио потребан број подршки и иде на оцјену.",
        accepted=("Приједлог је прихваћен и уврштен у план радова за наредну годину.",),
        rejected=(
            "Трошкови знатно премашују средства предвиђена за ову намјену, па приједлог ове године није прихваћен.",
        ),
        progress="Радови су почели.",
        done="Радови су завршени. Хвала свима који су предложили и подржали.",
    ),
}


# --- Mostar's 200 problems and proposals: a topic at a place ---------------------------------------------------

ROADS, LIGHT, PLAY, WASTE, TRANSPORT, SCHOOL, RIVER, HERITAGE = range(8)
MOSTAR_CATEGORIES = (
    ("Putevi, trotoari i saobraćaj", "Roads, pavements and traffic"),
    ("Javna rasvjeta", "Street lighting"),
    ("Igrališta i zelene površine", "Playgrounds and green spaces"),
    ("Otpad i čistoća", "Waste and cleanliness"),
    ("Javni prevoz i bicikli", "Public transport and cycling"),
    ("Sigurnost djece i put do škole", "Children's safety and school routes"),
    ("Rijeke i obale", "Rivers and riverbanks"),
    ("Stari grad i baština", "Old town and heritage"),
)

# local community, address, the place as it follows a noun or verb ("Ne radi rasvjeta …"), what is there, latitude,
# longitude (approximate)
MOSTAR_PLACES = (
    ("Centar I", "Ulica Braće Fejića", "u Ulici braće Fejića", "walk", 43.3420, 17.8118),
    ("Centar I", "Trg Musala", "na Trgu Musala", "walk green", 43.3446, 17.8122),
    ("Centar I", "Kujundžiluk", "na Kujundžiluku", "walk heritage", 43.3378, 17.8155),
    ("Centar I", "Onešćukova ulica", "u Onešćukovoj ulici", "walk heritage", 43.3385, 17.8146),
    ("Centar I", "Stari most", "kod Starog mosta", "heritage river coach", 43.3373, 17.8150),
    ("Centar I", "Kriva ćuprija", "kod Krive ćuprije", "heritage river", 43.3371, 17.8137),
    ("Centar I", "Obala Neretve ispod Lučkog mosta", "ispod Lučkog mosta", "river dump", 43.3418, 17.8140),
    ("Centar I", "Autobuska stanica", "kod autobuske stanice", "road stop", 43.3476, 17.8136),
    ("Brankovac", "Ulica Maršala Tita", "u Ulici maršala Tita", "road stop", 43.3452, 17.8148),
    ("Brankovac", "Park na Brankovcu", "u parku na Brankovcu", "play green", 43.3460, 17.8165),
    ("Brankovac", "Osnovna škola na Brankovcu", "kod škole na Brankovcu", "school", 43.3466, 17.8172),
    ("Zahum", "Glavna ulica kroz Zahum", "u glavnoj ulici kroz Zahum", "road", 43.3505, 17.8095),
    ("Zahum", "Autobusko stajalište u Zahumu", "u Zahumu", "stop", 43.3510, 17.8088),
    ("Zahum", "Zelena površina kod vrtića", "kod vrtića u Zahumu", "play green", 43.3498, 17.8102),
    ("Cim", "Put prema Cimu", "na putu prema Cimu", "road dump", 43.3560, 17.7905),
    ("Cim", "Stajalište kod crkve u Cimu", "kod crkve u Cimu", "stop", 43.3588, 17.7872),
    ("Cim", "Prostor iza mjesnog ureda", "iza mjesnog ureda u Cimu", "play green", 43.3592, 17.7860),
    ("Cim", "Osnovna škola u Cimu", "kod škole u Cimu", "school", 43.3580, 17.7880),
    (
        "Bijeli Brijeg",
        "Stadion pod Bijelim Brijegom",
        "kod stadiona pod Bijelim Brijegom",
        "road stop",
        43.3470,
        17.7990,
    ),
    ("Bijeli Brijeg", "Partizansko spomen-groblje", "", "memorial", 43.3392, 17.8010),
    (
        "Bijeli Brijeg",
        "Blokovi na Bijelom Brijegu",
        "između blokova na Bijelom Brijegu",
        "play green road",
        43.3455,
        17.7975,
    ),
    ("Bijeli Brijeg", "Osnovna škola na Bijelom Brijegu", "kod škole na Bijelom Brijegu", "school", 43.3462, 17.7962),
    ("Rudnik", "Glavna ulica na Rudniku", "u glavnoj ulici na Rudniku", "road stop", 43.3300, 17.8310),
    ("Rudnik", "Igralište kod mjesnog ureda", "kod mjesnog ureda na Rudniku", "play green", 43.3295, 17.8322),
    ("Rudnik", "Put prema Podveležju", "na putu prema Podveležju", "road dump", 43.3270, 17.8420),
    ("Rudnik", "Osnovna škola na Rudniku", "kod škole na Rudniku", "school", 43.3288, 17.8300),
    ("Blagaj", "Vrelo Bune", "kod Vrela Bune", "river heritage", 43.2568, 17.9035),
    ("Blagaj", "Blagajska tekija", "kod Blagajske tekije", "heritage stop coach", 43.2566, 17.9027),
    ("Blagaj", "Obala Bune", "na obali Bune u Blagaju", "river green dump", 43.2575, 17.8890),
    ("Blagaj", "Put prema Stjepan-gradu", "na putu prema Stjepan-gradu", "road heritage dump", 43.2585, 17.8960),
    ("Blagaj", "Osnovna škola u Blagaju", "kod škole u Blagaju", "school", 43.2570, 17.8860),
    ("Blagaj", "Centar Blagaja", "u centru Blagaja", "stop road", 43.2572, 17.8845),
)

# what is there, kind, category, title, description ({where}: the place)
MOSTAR_TOPICS = (
    ("road", PROBLEM, ROADS, "Duboke rupe u asfaltu {where}",
     "Asfalt {where} je na nekoliko mjesta propao i nastale su duboke rupe koje se nakon kiše napune vodom. Vozači ih zaobilaze prelazeći u suprotnu traku, a biciklisti i motoristi su u stalnoj opasnosti. Molimo da se rupe saniraju asfaltom, a ne samo zatrpaju šljunkom."),
    ("road", PROBLEM, ROADS, "Razvaljen trotoar {where}",
     "Trotoar {where} je ispucao i na više mjesta propao, ploče se klimaju, a korijenje drveća ga je podiglo. Roditelji s kolicima i osobe u invalidskim kolicima moraju silaziti na kolovoz. Tražimo popravak trotoara cijelom dužinom, ne samo krpljenje."),
    ("road", PROPOSAL, ROADS, "Spušteni ivičnjaci na pješačkim prelazima {where}",
     "Predlažem da se na pješačkim prelazima {where} spuste ivičnjaci, kako bi ulicu bez tuđe pomoći mogli preći ljudi u invalidskim kolicima, roditelji s kolicima i stariji s hodalicom. Radi se o malom i jeftinom zahvatu koji mnogima mijenja svakodnevicu."),
    ("road", PROPOSAL, ROADS, "Usporivači brzine i ograničenje na 30 km/h {where}",
     "Vozači {where} redovno voze mnogo brže od dozvoljenog, iako tuda svaki dan prolaze djeca i stariji. Predlažemo dva ili tri usporivača brzine i znak ograničenja na 30 km/h, a povremeno i kontrolu policije."),
    ("road", PROBLEM, ROADS, "Automobili parkirani na trotoaru {where}",
     "Automobili se svakodnevno parkiraju na trotoaru {where}, pa pješaci, a posebno djeca i roditelji s kolicima, moraju ići kolovozom. Tražimo zaštitne stubiće i češći obilazak komunalne policije."),
    ("road walk", PROBLEM, ROADS, "Začepljeni slivnici, voda se zadržava {where}",
     "Slivnici {where} su začepljeni lišćem i smećem, pa se nakon svake jače kiše voda zadržava i po nekoliko dana. Zimi se ta voda zaledi. Molimo da se slivnici očiste i da se čiste redovno, prije jesenjih kiša."),
    ("road walk green", PROBLEM, LIGHT, "Ne radi javna rasvjeta {where}",
     "Već nekoliko sedmica ne radi nijedna svjetiljka {where}. Čim padne mrak, sve je u potpunoj tami, a tuda se kreću djeca, stariji i ljudi koji se vraćaju s posla. Molimo da se kvar otkloni što prije."),
    ("road walk green", PROPOSAL, LIGHT, "LED rasvjeta umjesto starih svjetiljki {where}",
     "Predlažem da se stare svjetiljke {where} zamijene LED rasvjetom. Grad bi uštedio na struji i održavanju, a prostor bi bio bolje osvijetljen i sigurniji navečer. Nove svjetiljke treba usmjeriti prema tlu, da ne svijetle ljudima u prozore."),
    ("road", PROBLEM, WASTE, "Prepuni kontejneri za smeće {where}",
     "Kontejneri {where} su prepuni danima prije odvoza, pa se smeće gomila oko njih, a psi i mačke ga razvlače po ulici. Ljeti se širi neugodan miris. Molimo češći odvoz ili još jedan kontejner na ovoj lokaciji."),
    ("road", PROPOSAL, WASTE, "Kontejneri za odvajanje otpada {where}",
     "Predlažem kontejnere za papir, plastiku i staklo {where}. Mnogi stanari bi rado odvajali otpad, ali su najbliži kontejneri za reciklažu predaleko. Uz kontejnere bi dobro došla i tabla s uputama šta gdje ide."),
    ("road", PROPOSAL, TRANSPORT, "Biciklistička traka {where}",
     "Sve više ljudi u grad ide biciklom, ali {where} nema nikakve biciklističke trake, pa vozimo između automobila. Predlažemo da se obilježi biciklistička traka i postave stalci za bicikle na nekoliko mjesta."),
    ("walk heritage", PROBLEM, HERITAGE, "Razvaljena kaldrma {where}",
     "Kamena kaldrma {where} je na više mjesta izlizana i razvaljena. Turisti i domaći se stalno spotiču, a kad pada kiša, kamen je opasno klizav. Molimo popravak, uz poštovanje tradicionalnog načina popločavanja."),
    ("walk green", PROPOSAL, PLAY, "Više klupa i hlada {where}",
     "Predlažemo da se {where} postave nove klupe i zasadi drveće koje će za nekoliko godina dati hlad. Ljeti je ovdje teško boraviti od vrućine, a stariji nemaju gdje sjesti i odmoriti se."),
    ("walk", PROBLEM, WASTE, "Premalo kanti za smeće {where}",
     "Kante za smeće {where} su rijetke i stalno pune, pa ljudi ostavljaju ambalažu na klupama i zidićima. Predlažemo više kanti s poklopcem i pražnjenje dva puta dnevno u turističkoj sezoni."),
    ("play", PROBLEM, PLAY, "Polomljene sprave na igralištu {where}",
     "Ljuljačke i tobogan {where} su polomljeni, a ispod sprava nema nikakve zaštitne podloge. Djeca se tu igraju svaki dan i već je bilo povreda. Molimo da se sprave poprave ili zamijene novim i da se postavi gumena podloga."),
    ("play", PROPOSAL, PLAY, "Ograđeno igralište za malu djecu {where}",
     "Predlažemo da se {where} uredi ograđeno igralište za djecu do sedam godina, s pješčanikom, klackalicom i klupama za roditelje. Sada se mala djeca igraju pored parkinga, a ograda bi roditeljima dala mir."),
    ("play green", PROPOSAL, PLAY, "Sprave za vježbanje na otvorenom {where}",
     "Predlažemo nekoliko sprava za vježbanje na otvorenom {where}. Koristili bi ih i mladi i stariji, a takve sprave su jeftine i gotovo ih ne treba održavati. U drugim gradovima su postale omiljeno okupljalište."),
    ("play green", PROPOSAL, PLAY, "Javna česma s pitkom vodom {where}",
     "Ljeti djeca, šetači i rekreativci nemaju gdje popiti vode. Predlažemo da se {where} postavi javna česma, po mogućnosti s nižim izljevom za djecu i posudom za pse."),
    ("play green", PROBLEM, PLAY, "Neodržavana zelena površina {where}",
     "Trava {where} nije košena mjesecima, grmlje je zaraslo preko staze, a suhe grane vise nad klupama. Prostor koji bi trebao služiti za odmor postao je neugodan i nesiguran. Molimo redovno održavanje."),
    ("play green", PROBLEM, WASTE, "Vlasnici pasa ne čiste za ljubimcima {where}",
     "Vlasnici pasa {where} ne čiste za svojim ljubimcima, a tu se igraju djeca. Predlažemo kante s vrećicama za pseći izmet i tablu s upozorenjem, a komunalnu policiju molimo za povremene kontrole."),
    ("school", PROBLEM, SCHOOL, "Nema obilježenog pješačkog prelaza {where}",
     "Djeca svaki dan prelaze ulicu {where} na mjestu gdje nema obilježenog pješačkog prelaza ni znaka upozorenja, a vozači ne usporavaju. Tražimo obilježen prelaz, znakove i, ako je moguće, semafor na dugme."),
    ("school", PROPOSAL, SCHOOL, "Zona 30 km/h {where}",
     "Predlažemo da ulice {where} postanu zona smirenog saobraćaja s ograničenjem od 30 km/h, barem u vrijeme dolaska i odlaska učenika. Uz to trebaju usporivači brzine i jasno obilježeni prelazi."),
    ("school", PROBLEM, SCHOOL, "Automobili roditelja blokiraju prelaz {where}",
     "Ujutro, kad se djeca dovoze u školu, automobili se zaustavljaju na samom prelazu i na trotoaru {where}. Djeca izlaze između vozila, a vozači iz suprotnog smjera ih ne vide. Predlažemo uređeno mjesto za kratko zaustavljanje i dežurstvo komunalnog redara."),
    ("school", PROPOSAL, SCHOOL, "Natkriveni parking za bicikle {where}",
     "Mnogi učenici bi u školu dolazili biciklom, ali nemaju gdje da ga ostave. Predlažemo natkriveni parking za bicikle {where}, s mogućnošću zaključavanja i na vidiku školskog domara."),
    ("school", PROBLEM, LIGHT, "Djeca zimi idu u školu po mraku: nema rasvjete {where}",
     "Zimi učenici kreću u školu prije svitanja, a put {where} nije osvijetljen. Roditelji se boje za djecu, posebno za onu koja idu pješice iz udaljenijih dijelova naselja. Tražimo nekoliko svjetiljki na najmračnijem dijelu puta."),
    ("stop", PROBLEM, TRANSPORT, "Stajalište {where} nema nadstrešnicu ni klupu",
     "Na stajalištu {where} ljudi autobus čekaju na suncu ljeti i na kiši zimi, jer nema ni nadstrešnice ni klupe. Posebno je teško starijima i majkama s malom djecom. Molimo nadstrešnicu s klupom i istaknut vozni red."),
    ("stop", PROBLEM, TRANSPORT, "Prerijetki polasci autobusa sa stajališta {where}",
     "Autobus sa stajališta {where} vozi otprilike svakih sat vremena, a navečer i vikendom još rjeđe. Učenici i radnici koji rade u smjenama ne mogu stići na vrijeme. Tražimo bar jedan polazak više ujutro i jedan kasno navečer."),
    ("stop", PROPOSAL, TRANSPORT, "Displej s vremenom dolaska autobusa {where}",
     "Predlažemo da se na stajalište {where} postavi elektronski displej koji pokazuje kada stiže sljedeći autobus. Ljudi bi znali koliko čekaju, a isti podaci mogli bi biti dostupni i na mobitelu."),
    ("stop", PROPOSAL, TRANSPORT, "Direktna linija do bolnice sa stajališta {where}",
     "Stariji i bolesni sa stajališta {where} do bolnice moraju presjedati ili plaćati taksi. Predlažemo da se bar dva puta dnevno uvede direktan polazak do bolnice i nazad, prilagođen terminima pregleda."),
    ("river dump", PROBLEM, RIVER, "Smeće i plastika {where}",
     "Nakon svakog vikenda, a posebno kad voda opadne poslije visokog vodostaja, {where} je sve puno plastičnih boca, kesa i krupnog otpada. Predlažemo redovno čišćenje i kante za smeće na silazima do vode."),
    ("river", PROPOSAL, RIVER, "Proljetna akcija čišćenja {where}",
     "Predlažemo da Grad, udruženja i škole zajedno organizuju proljetnu akciju čišćenja {where}. Grad bi osigurao kontejner, vreće i rukavice, a volontera ima dovoljno. Akcija bi se mogla ponavljati svake godine."),
    ("river", PROPOSAL, RIVER, "Uređen i siguran silaz do vode {where}",
     "Do vode se {where} silazi po strmom i klizavom terenu, a ljeti tuda prolaze stotine kupača. Predlažemo kamene stepenice s rukohvatom, kako bi i djeca i stariji mogli sigurno sići."),
    ("river", PROBLEM, RIVER, "Mutna voda iz cijevi teče u rijeku {where}",
     "Iz jedne cijevi {where} u rijeku teče mutna voda neugodnog mirisa, najviše noću. Tražimo da inspekcija utvrdi odakle dolazi i zaustavi zagađenje, jer se nizvodno ljudi kupaju."),
    ("river", PROPOSAL, RIVER, "Dežurni spasilac tokom ljeta {where}",
     "Ljeti se {where} kupa mnogo djece i mladih, a voda je hladna i brza. Predlažemo da u julu i augustu tu bude dežurni spasilac, uz tablu s upozorenjima i kolut za spašavanje."),
    ("dump", PROBLEM, WASTE, "Divlja deponija {where}",
     "Neko već mjesecima odlaže građevinski otpad, stare gume i kućno smeće {where}. Deponija se širi, a ljeti se zna i zapaliti. Tražimo uklanjanje otpada, tablu sa zabranom i češći obilazak inspekcije."),
    ("heritage", PROPOSAL, HERITAGE, "Javni toalet {where}",
     "Hiljade posjetilaca dnevno prođu {where}, a javnog toaleta u blizini nema ili je zatvoren. Predlažemo uređen javni toalet, dostupan i osobama s invaliditetom."),
    ("heritage", PROPOSAL, HERITAGE, "Informativne table o historiji mjesta {where}",
     "Predlažemo da se {where} postave table s kratkom historijom mjesta na bosanskom, hrvatskom, srpskom i engleskom jeziku, s mapom i tekstom na Brajevom pismu. Mnogi posjetioci, ali i mladi Mostarci, ne znaju priču o mjestu kraj kojeg prolaze."),
    ("heritage", PROBLEM, HERITAGE, "Grafiti po starim kamenim zidovima {where}",
     "Stari kameni zidovi {where} su išarani grafitima i naljepnicama. Predlažemo da se čišćenje povjeri stručnjacima, jer neprikladna sredstva oštećuju kamen, i da se pojača ophodnja."),
    ("coach", PROBLEM, TRANSPORT, "Turistički autobusi zakrčuju ulice {where}",
     "U sezoni se turistički autobusi zaustavljaju i parkiraju gdje stignu {where}, pa lokalni saobraćaj stoji, a pješaci prolaze između vozila. Predlažemo posebno parkiralište za autobuse i prevoz posjetilaca manjim vozilima."),
    ("memorial", PROBLEM, HERITAGE, "Zapušteno Partizansko spomen-groblje",
     "Partizansko spomen-groblje, jedno od najvažnijih djela moderne arhitekture u gradu, zaraslo je u korov, staze su razvaljene, a spomen-ploče polomljene. Tražimo redovno održavanje i čuvara, dok se ne pripremi plan obnove."),
    ("memorial", PROPOSAL, HERITAGE, "Obnova staza i rasvjete na Partizanskom spomen-groblju",
     "Predlažemo da se, kao prvi korak obnove Partizanskog spomen-groblja, poprave kamene staze i postavi diskretna rasvjeta, kako bi se kompleks ponovo mogao obilaziti i navečer. Udruženja su spremna organizovati volonterske akcije čišćenja."),
)  # fmt: skip
EXTRAS = {
    PROBLEM: (
        "Problem traje već više od godinu dana.",
        "Stanari su to već prijavljivali mjesnoj zajednici, ali se ništa nije promijenilo.",
        "Posebno je loše zimi, kad rano padne mrak.",
        "Molim da se ovo riješi prije nego što neko nastrada.",
        "",
        "",
    ),
    PROPOSAL: (
        "Stanari su spremni pomoći u održavanju.",
        "O ovome smo razgovarali na zboru građana i prijedlog je dobio veliku podršku.",
        "Slično rješenje već postoji u drugim dijelovima grada i pokazalo se dobrim.",
        "Vjerujem da bi ovo koristilo svima, od djece do starijih.",
        "",
        "",
    ),
}
REJECTED_BECAUSE = {
    ROADS: "Ova dionica je regionalni put kojim upravlja Kanton, a ne Grad. Prijavu smo proslijedili kantonalnoj direkciji za puteve i zatražili da je hitno riješi.",
    TRANSPORT: "Linije i polaske određuje prevoznik po ugovoru s Gradom koji ističe naredne godine. Prijedlog ćemo uvrstiti u uslove novog ugovora, ali ga do tada ne možemo provesti.",
    HERITAGE: "Zahvati u zaštićenoj zoni traže saglasnost zavoda za zaštitu spomenika, koji predloženo rješenje nije odobrio. Tražit ćemo drugačije rješenje zajedno s predlagačem.",
}
# (organisation, categories it cares about) for endorsements of Mostar's proposals
MOSTAR_ENDORSERS = (("UM Stari most", {SCHOOL, PLAY}), ("Zeleni Hum", {RIVER, WASTE}), ("CGI Neretva", {TRANSPORT}))


# --- Hand-written processes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultSpec:
    title: str
    description: str
    status: str
    progress: int
    budget: int | None = None
    starts: int | None = None  # days from today
    ends: int | None = None
    updates: tuple[tuple[int, int, str, str], ...] = ()  # (days from today, progress, status, what happened)
    english: str = ""


@dataclass(frozen=True)
class Idea:
    """A hand-written problem or proposal, with what happened to it."""

    title: str
    body: str
    community: str
    category: int
    kind: str = PROPOSAL
    supports: int = 0
    states: tuple[str, ...] = ()  # the states it went through after "submitted"
    answer: str = ""  # the municipality's answer when accepted or rejected (else from the language's pool)
    organisation: str = ""  # short name of the CSO it was submitted for, by one of its members
    endorsed_by: tuple[str, ...] = ()  # CSOs' short names
    comments: int | tuple = 0  # a number (from the pool) or (author, stance, text, ((author, text), ...)) each
    result: ResultSpec | None = None


@dataclass(frozen=True)
class PollSpec:
    title: str
    description: str
    opens: int  # days from today
    closes: int
    questions: tuple  # (kind, text, most choices, ((choice, weight), ...)) each
    ballots: dict
    answers: tuple[str, ...] = ()  # free-text answers
    english: str = ""


@dataclass(frozen=True)
class MeetingSpec:
    title: str
    description: str
    starts: int  # days from today
    hour: int
    hours: int
    place: str = ""
    address: str = ""
    online_url: str = ""
    agenda: str = ""
    capacity: int | None = None
    registrations: int = 0
    attendance: int | None = None
    minutes: str = ""
    comments: int = 0
    english: str = ""


@dataclass(frozen=True)
class ProcessSpec:
    municipality: str
    slug: str
    language: str
    title: str
    summary: str
    description: str
    english: tuple[str, str]  # title and summary
    level: str
    step: str
    features: dict
    phases: tuple  # (name, English name, start and end in days from today, {"feature.action": audience}) each
    categories: tuple = ()  # (name, English name) each
    communities: tuple[str, ...] | None = None  # None: all of the municipality's
    for_network: bool = False
    published: bool = True
    ideas: tuple[Idea, ...] = ()
    generated: int = 0  # proposals made from Mostar's topics and places
    polls: tuple[PollSpec, ...] = ()
    meetings: tuple[MeetingSpec, ...] = ()
    results: tuple[ResultSpec, ...] = ()  # promises that are not a proposal
    opened: int = -60  # days from today the process was created
    evaluated: int | None = None  # days from today when the evaluation of proposals began (default: at once)
    decided: int | None = None  # ... and by when they were answered


MOSTAR = ProcessSpec(
    municipality="mostar",
    slug="mostar-moja-mjesna-zajednica",
    language="bs",
    title="Moja mjesna zajednica: problemi i prijedlozi",
    summary="Prijavite problem u svom naselju ili predložite rješenje. Prijedlozi s najmanje 50 podrški idu na ocjenu gradskim službama.",
    description="Grad Mostar poziva stanovnike svih mjesnih zajednica da prijave probleme koje svakodnevno susreću i predlože kako ih riješiti: od rupa na putu i neispravne rasvjete do igrališta, autobuskih linija i uređenja obala. Prijedloge mogu podnijeti svi registrovani korisnici, a podržati ih korisnici s potvrđenom e-adresom. Čim prijedlog dobije 50 podrški, automatski ide na ocjenu nadležnoj službi, koja odgovor objavljuje ovdje.\n\nPrihvaćeni prijedlozi ulaze u plan radova za narednu godinu, a njihovu provedbu možete pratiti na stranici rezultata. Uz prijedloge, odgovorite na kratku anketu (i na pametnim klupama) i dođite na javne tribine u mjesnim zajednicama.",
    english=(
        "My local community: problems and proposals",
        "Report a problem in your neighbourhood or propose a solution. Proposals with at least 50 supports go to the city's services for evaluation.",
    ),
    level=ParticipationLevel.CONSULTATION,
    step=DecisionStep.AGENDA_SETTING,
    features={"proposals": {}, "comments": {}, "supports": {"threshold": 50}, "polls": {}, "meetings": {}, "results": {}},
    phases=(
        ("Najava i informisanje", "Announcement and information", -60, -45, {"comments.comment": REG, "meetings.attend": REG}),
        ("Prijedlozi i podrška", "Proposals and supports", -45, 25, {
            "proposals.submit": REG, "proposals.endorse": CSO, "comments.comment": REG, "supports.support": VER,
            "polls.vote": ANY, "meetings.attend": REG,
        }),
        ("Ocjena prijedloga", "Evaluation of proposals", 25, 70, {"comments.comment": REG, "meetings.attend": REG}),
        ("Provedba i praćenje", "Implementation and monitoring", 70, 430, {"comments.comment": REG}),
    ),
    categories=MOSTAR_CATEGORIES,
    generated=200,
    polls=(
        PollSpec(
            title="Šta prvo urediti u vašem naselju?",
            description="Kratka anketa za stanovnike Mostara, pet pitanja. Odgovori pomažu Gradu da odredi redoslijed radova u mjesnim zajednicama. Anketu možete popuniti ovdje, na pametnim klupama i na papiru u mjesnim uredima.",
            english="What should be fixed first in your neighbourhood?",
            opens=-30,
            closes=15,
            questions=(
                ("single", "U kojoj mjesnoj zajednici živite?", None, (
                    ("Centar I", 14), ("Brankovac", 10), ("Zahum", 9), ("Cim", 11), ("Bijeli Brijeg", 13),
                    ("Rudnik", 8), ("Blagaj", 7), ("Drugo", 6),
                )),
                ("single", "Koji problem u vašem naselju je najhitnije riješiti?", None, (
                    ("Rupe na putevima i trotoarima", 30), ("Javna rasvjeta", 14), ("Odvoz smeća i čistoća", 22),
                    ("Dječija igrališta i parkovi", 16), ("Javni prevoz", 18),
                )),
                ("multiple", "Šta biste voljeli vidjeti na uređenim obalama Neretve i Bune? Izaberite najviše tri odgovora.", 3, (
                    ("Šetnica i biciklistička staza", 30), ("Klupe i hlad", 22), ("Uređeni silazi do vode", 18),
                    ("Javni toaleti", 12), ("Rasvjeta", 14), ("Sprave za vježbanje", 8),
                )),
                ("ranking", "Poredajte po važnosti: na šta Grad treba prvo potrošiti novac za mjesne zajednice?", 3, (
                    ("Sigurnost djece na putu do škole", 30), ("Asfaltiranje i trotoari", 26), ("Rasvjeta", 16),
                    ("Igrališta i parkovi", 18), ("Odvoz otpada", 12),
                )),
                ("text", "Šta biste još poručili Gradu?", None, ()),
            ),
            ballots={Source.WEB: 210, Source.BENCH: 95, Source.PAPER: 45},
            answers=(
                "Neka neko konačno popravi rasvjetu u našoj ulici, prijavljivali smo tri puta.",
                "Više autobusa navečer, posebno vikendom.",
                "Hvala što pitate. Ovako nešto treba raditi svake godine.",
                "Kontejneri se ljeti prazne prerijetko.",
                "Treba više hlada i klupa u centru, ljeti se ne može izaći.",
                "Djeci treba sigurniji put do škole, vozači ne usporavaju.",
                "Objavite na kraju šta ste uradili s ovim odgovorima.",
                "Uredite obalu Neretve, to je najljepši dio grada, a najzapušteniji.",
                "Parking u centru je problem, ali ne smije se rješavati na račun trotoara.",
                "Više kanti za smeće na Kujundžiluku i oko Starog mosta.",
                "Stariji ne mogu do ambulante bez prevoza, treba nam linija.",
                "Neka mjesne zajednice imaju svoj mali budžet za sitne popravke.",
                "Pametna klupa je odlična ideja, nadam se da će ih biti još.",
                "Igralište kod nas je opasno za djecu, sprave su stare.",
                "Biciklističke staze, molim!",
            ),
        ),
    ),
    meetings=(
        MeetingSpec(
            title="Javna tribina: prijedlozi za Centar I, Brankovac i Zahum",
            english="Public forum: proposals for Centar I, Brankovac and Zahum",
            description="Predstavnici Grada i mjesnih zajednica razgovaraju sa stanovnicima o pristiglim prijedlozima i o tome kako ih Grad ocjenjuje.",
            starts=-12, hour=18, hours=2,
            place="Gradska vijećnica, velika sala",
            address="Hrvatskih branitelja bb, Mostar",
            agenda="1. Kako radi poziv za prijedloge i šta se dešava s njima\n2. Pristigli prijedlozi iz Centra I, Brankovca i Zahuma\n3. Pitanja i prijedlozi građana\n4. Naredni koraci",
            capacity=60, registrations=38, attendance=44,
            minutes="Tribini je prisustvovalo četrdesetak građana, predstavnici triju mjesnih zajednica i Službe za komunalne poslove. Najviše se razgovaralo o rasvjeti u Ulici maršala Tita, prepunim kontejnerima i sigurnosti djece na putu do škole na Brankovcu.\n\nDogovoreno je da Služba do kraja mjeseca obiđe sve prijavljene lokacije neispravne rasvjete i da se mjesne zajednice uključe u ocjenu prijedloga za svoje područje. Sljedeća tribina bit će u Blagaju.",
        ),
        MeetingSpec(
            title="Tribina u Blagaju: obala Bune, parking i put do škole",
            english="Forum in Blagaj: the Buna riverbank, parking and the way to school",
            description="Razgovor sa stanovnicima Blagaja o prijedlozima za njihovu mjesnu zajednicu: uređenje obale Bune, parkiranje turističkih autobusa kod Tekije i siguran put do škole.",
            starts=9, hour=17, hours=2,
            place="Mjesna zajednica Blagaj, sala za sastanke",
            address="Blagaj, Mostar",
            agenda="1. Prijedlozi iz Blagaja: pregled i prvi odgovori Grada\n2. Obala Bune i Vrelo: šta je moguće u zaštićenoj zoni\n3. Turistički autobusi i parking\n4. Put do škole",
            capacity=50, registrations=23,
        ),
        MeetingSpec(
            title="Online razgovor s mladima: igrališta, prevoz i slobodno vrijeme",
            english="Online talk with young people: playgrounds, transport and free time",
            description="Razgovor s mladima od 15 do 30 godina preko video veze. Link za pristup je na ovoj stranici.",
            starts=16, hour=19, hours=1,
            online_url="https://sastanci.example.org/mostar-mladi",
            agenda="1. Šta mladi predlažu\n2. Pitanja za Grad",
            registrations=12,
        ),
    ),
    opened=-62,
)  # fmt: skip

TREBINJE = ProcessSpec(
    municipality="trebinje",
    slug="trebinje-prijedlozi-mjesnih-zajednica",
    language="sr",
    title="Приједлози мјесних заједница за градски буџет",
    summary="Грађани су предложили, Град је изабрао девет пројеката. Овдје пратите шта је урађено и колико је потрошено.",
    description="Град Требиње је први пут дио буџета распоредио према приједлозима грађана из мјесних заједница. Грађани су предложили пројекте и подржали их; стручна комисија је оцијенила изводљивост, а Скупштина града усвојила девет пројеката.\n\nНа страници резултата објављујемо напредак сваког пројекта, с датумима и утрошеним средствима.",
    english=(
        "Local communities' proposals for the city budget",
        "Citizens proposed, the city chose nine projects. Follow here what has been done and what it cost.",
    ),
    level=ParticipationLevel.PARTNERSHIP,
    step=DecisionStep.MONITORING,
    features={"proposals": {}, "comments": {}, "supports": {}, "results": {}},
    phases=(
        ("Приједлози", "Proposals", -430, -390, {"proposals.submit": RES, "comments.comment": REG}),
        ("Подршка", "Supports", -390, -370, {"supports.support": RES, "comments.comment": REG}),
        ("Оцјена и одлука", "Evaluation and decision", -370, -330, {"comments.comment": REG}),
        ("Реализација", "Implementation", -330, -2, {"comments.comment": REG}),
    ),
    categories=(("Инфраструктура", "Infrastructure"), ("Дјеца и млади", "Children and youth"), ("Јавни простори", "Public spaces")),
    opened=-440,
    evaluated=-370,
    decided=-330,
    ideas=(
        Idea(
            "Реконструкција дјечијег игралишта у Полицама",
            "Игралиште у Полицама има справе старије од тридесет година и бетонску подлогу на којој се дјеца свакодневно повређују. Предлажемо нове справе за дјецу различитог узраста, гумену подлогу, клупе за родитеље и хлад.",
            "Police", 1, supports=64, states=(EVALUATION, ACCEPTED, IN_PROGRESS, DONE), comments=5,
            answer="Приједлог је прихваћен одлуком Скупштине града; средства су обезбијеђена у буџету за ову годину.",
            result=ResultSpec(
                "Ново дјечије игралиште у Полицама",
                "Нове справе за дјецу од три до дванаест година, гумена подлога, клупе и шест нових стабала.",
                ResultStatus.DONE, 100, budget=48500, starts=-310, ends=-200, english="New playground in Police",
                updates=(
                    (-300, 10, ResultStatus.IN_PROGRESS, "Расписана јавна набавка за справе и подлогу."),
                    (-255, 25, ResultStatus.IN_PROGRESS, "Уговор потписан с извођачем; радови почињу наредне седмице."),
                    (-215, 80, ResultStatus.IN_PROGRESS, "Постављене су справе и гумена подлога; остају клупе и садња дрвећа."),
                    (-198, 100, ResultStatus.DONE, "Игралиште је отворено. Засађено је шест стабала платана, а утрошено 48.500 КМ од планираних 52.000 КМ."),
                ),
            ),
        ),
        Idea(
            "Јавна расвјета на путу за Мостаће",
            "Пут од Требиња до Мостаћа нема расвјету на дионици од два километра, гдје се навече крећу пјешаци и бициклисти. Предлажемо ЛЕД расвјету цијелом дионицом.",
            "Mostaći", 0, kind=PROBLEM, supports=51, states=(EVALUATION, ACCEPTED, IN_PROGRESS, DONE), comments=3,
            answer="Приједлог је прихваћен; расвјета ће бити постављена у сарадњи с електродистрибуцијом.",
            result=ResultSpec(
                "Расвјета на путу за Мостаће", "Четрдесет ЛЕД свјетиљки на дионици од два километра.",
                ResultStatus.DONE, 100, budget=62000, starts=-290, ends=-150, english="Lighting on the road to Mostaći",
                updates=(
                    (-280, 20, ResultStatus.IN_PROGRESS, "Изабран извођач; електродистрибуција дала сагласност за прикључак."),
                    (-190, 70, ResultStatus.IN_PROGRESS, "Постављени стубови на цијелој дионици, слиједи монтажа свјетиљки."),
                    (-160, 100, ResultStatus.DONE, "Расвјета је укључена. Потрошња је мања од планиране захваљујући ЛЕД свјетиљкама."),
                ),
            ),
        ),
        Idea(
            "Тротоар уз магистрални пут у Засаду",
            "Дјеца из Засада иду у школу уз магистрални пут без тротоара, поред камиона. Предлажемо тротоар и заштитну ограду на дионици до раскрснице.",
            "Zasad", 0, kind=PROBLEM, supports=47, states=(EVALUATION, ACCEPTED, IN_PROGRESS), comments=6,
            answer="Приједлог је прихваћен као приоритет због безбједности дјеце.",
            result=ResultSpec(
                "Тротоар и заштитна ограда у Засаду", "Тротоар дуг 650 метара с оградом према коловозу.",
                ResultStatus.IN_PROGRESS, 60, budget=95000, starts=-260, ends=40, english="Pavement and railing in Zasad",
                updates=(
                    (-250, 15, ResultStatus.IN_PROGRESS, "Радови су почели на првој дионици од раскрснице."),
                    (-170, 45, ResultStatus.IN_PROGRESS, "Радови заустављени због премјештања водоводне цијеви; наставак послије сагласности водовода."),
                    (-40, 60, ResultStatus.IN_PROGRESS, "Водовод је измјестио цијев и радови су настављени. Завршетак се очекује у прољеће."),
                ),
            ),
        ),
        Idea(
            "Уређење обале Требишњице код Арсланагића моста",
            "Обала поред Арсланагића моста је обрасла и неприступачна, а мост је један од најљепших у Херцеговини. Предлажемо стазу, клупе, расвјету и уређен силаз до воде.",
            "Arslanagića Most", 2, supports=58, states=(EVALUATION, ACCEPTED, IN_PROGRESS), comments=4,
            answer="Приједлог је прихваћен; радови у заштићеној зони моста изводе се уз надзор завода за заштиту споменика.",
            result=ResultSpec(
                "Стаза и одмориште уз Требишњицу код Арсланагића моста", "Стаза, клупе, расвјета и силаз до воде.",
                ResultStatus.IN_PROGRESS, 35, budget=120000, starts=-200, ends=120, english="Path by the Trebišnjica at Arslanagić Bridge",
                updates=(
                    (-190, 10, ResultStatus.IN_PROGRESS, "Завод за заштиту споменика одобрио је пројекат уз мање измјене."),
                    (-60, 35, ResultStatus.IN_PROGRESS, "Очишћена је обала и урађена подлога стазе; клупе и расвјета слиједе на прољеће."),
                ),
            ),
        ),
        Idea(
            "Нове клупе и чесма на Тргу слободе",
            "Под платанима на Тргу слободе нема довољно клупа, а чесма не ради. Предлажемо нове клупе у складу с изгледом трга и обнову чесме.",
            "Gradska zona", 2, supports=72, states=(EVALUATION, ACCEPTED, IN_PROGRESS, DONE), comments=7,
            answer="Приједлог је прихваћен.",
            result=ResultSpec(
                "Клупе и чесма на Тргу слободе", "Двадесет нових клупа и обновљена чесма.",
                ResultStatus.DONE, 100, budget=18000, starts=-300, ends=-240, english="Benches and fountain on Freedom Square",
                updates=(
                    (-270, 50, ResultStatus.IN_PROGRESS, "Постављено је првих десет клупа."),
                    (-245, 100, ResultStatus.DONE, "Постављене су све клупе и чесма поново ради."),
                ),
            ),
        ),
        Idea(
            "Аутобуска линија Требиње – Мостаћи и викендом",
            "Аутобус за Мостаће вози само радним данима, па старији викендом не могу ни до цркве ни до пијаце. Предлажемо бар два поласка суботом и недјељом.",
            "Mostaći", 0, supports=39, states=(EVALUATION, ACCEPTED, IN_PROGRESS, DONE), comments=2,
            answer="Приједлог је прихваћен; Град ће субвенционисати викенд поласке.",
            result=ResultSpec(
                "Викенд поласци за Мостаће", "Два поласка суботом и недјељом, субвенција превознику за годину дана.",
                ResultStatus.DONE, 100, budget=9000, starts=-310, ends=-280, english="Weekend buses to Mostaći",
                updates=((-300, 100, ResultStatus.DONE, "Од ове суботе аутобус за Мостаће вози у 8 и у 14 часова, повратак у 9 и у 15 часова."),),
            ),
        ),
        Idea(
            "Семафор на пјешачком прелазу код основне школе",
            "Прелаз испред основне школе у граду је прометан, а дјеца га прелазе без семафора. Предлажемо семафор на дугме и жуто трепћуће свјетло за вријеме наставе.",
            "Gradska zona", 1, supports=55, states=(EVALUATION, ACCEPTED, IN_PROGRESS), comments=4,
            answer="Приједлог је прихваћен.",
            result=ResultSpec(
                "Семафор на прелазу код основне школе", "Семафор на дугме и трепћуће свјетло упозорења.",
                ResultStatus.IN_PROGRESS, 80, budget=26000, starts=-150, ends=20, english="Traffic lights at the primary school crossing",
                updates=(
                    (-140, 30, ResultStatus.IN_PROGRESS, "Набављена је опрема."),
                    (-25, 80, ResultStatus.IN_PROGRESS, "Семафор је постављен; чека се технички пријем прије укључивања."),
                ),
            ),
        ),
        Idea(
            "Санација локалног пута у Засаду",
            "Локални пут кроз Засад пун је ударних рупа, а на два мјеста је пропао уз потпорни зид. Предлажемо санацију пута и зида.",
            "Zasad", 0, kind=PROBLEM, supports=33, states=(EVALUATION, ACCEPTED), comments=2,
            answer="Приједлог је прихваћен; прво је потребно израдити пројекат санације потпорног зида.",
            result=ResultSpec(
                "Санација пута и потпорног зида у Засаду", "Нови асфалт на 1,2 km и санација потпорног зида.",
                ResultStatus.PLANNED, 0, budget=75000, starts=60, ends=180, english="Repair of the road and retaining wall in Zasad",
                updates=((-30, 0, ResultStatus.PLANNED, "Пројекат санације је израђен. Радови су планирани за прољеће, послије зиме."),),
            ),
        ),
        Idea(
            "Јавни тоалет код спортских терена у Полицама",
            "Код спортских терена у Полицама окупља се много дјеце и родитеља, а тоалета нема. Предлажемо мали јавни тоалет с чесмом.",
            "Police", 2, supports=41, states=(EVALUATION, ACCEPTED), comments=3,
            answer="Приједлог је прихваћен.",
            result=ResultSpec(
                "Јавни тоалет у Полицама", "Мали монтажни тоалет с чесмом поред спортских терена.",
                ResultStatus.CANCELLED, 10, budget=15000, english="Public toilet in Police",
                updates=(
                    (-240, 10, ResultStatus.IN_PROGRESS, "Израђен је пројекат и прибављена сагласност власника земљишта."),
                    (-120, 10, ResultStatus.CANCELLED, "Власник земљишта је повукао сагласност, па је пројекат обустављен. Град тражи нову локацију и о томе ће обавијестити мјесну заједницу."),
                ),
            ),
        ),
        Idea(
            "Подземна гаража испод Трга слободе",
            "У центру нема довољно паркинга. Предлажемо подземну гаражу испод Трга слободе.",
            "Gradska zona", 2, supports=44, states=(EVALUATION, REJECTED), comments=8,
            answer="Трг слободе је у заштићеној зони старог језгра, а стабла платана су заштићена. Градња гараже испод трга није могућа без угрожавања стабала, па приједлог није прихваћен.",
        ),
        Idea(
            "Отворени базен у Полицама",
            "Предлажемо отворени базен за дјецу и рекреацију у Полицама, јер љети немамо гдје да се расхладимо.",
            "Police", 1, supports=29, states=(EVALUATION, REJECTED), comments=3,
            answer="Изградња и одржавање базена више од десет пута премашују износ предвиђен за приједлоге грађана. Приједлог смо прослиједили Одјељењу за спорт за дугорочни план.",
        ),
        Idea(
            "Скејт парк код Арсланагића моста",
            "Млади немају гдје да возе скејт и ролере. Предлажемо мали скејт парк на равном простору код Арсланагића моста.",
            "Arslanagića Most", 1, supports=12, states=(EVALUATION, REJECTED), comments=2,
            answer="Локација је у плавној зони Требишњице. Комисија предлаже да се скејт парк размотри у новом спортском центру, гдје је простор већ предвиђен.",
        ),
    ),
    results=(
        ResultSpec(
            "Квартални извјештаји о утрошку средстава", "Град сваког квартала објављује колико је потрошено на сваки пројекат.",
            ResultStatus.IN_PROGRESS, 75, english="Quarterly spending reports",
            updates=(
                (-240, 25, ResultStatus.IN_PROGRESS, "Објављен први квартални извјештај."),
                (-150, 50, ResultStatus.IN_PROGRESS, "Објављен други квартални извјештај."),
                (-60, 75, ResultStatus.IN_PROGRESS, "Објављен трећи квартални извјештај."),
            ),
        ),
    ),
)  # fmt: skip

OTHER_PROCESSES = (
    ProcessSpec(
        municipality="mostar",
        slug="mostar-pravila-finansiranja-udruzenja",
        language="bs",
        title="Nova pravila za finansiranje udruženja iz gradskog budžeta",
        summary="Konsultacije s organizacijama civilnog društva o nacrtu pravilnika: kriteriji, bodovanje, rokovi i izvještavanje.",
        description="Grad Mostar priprema novi pravilnik o dodjeli sredstava udruženjima i fondacijama. Prije nego što nacrt ide pred Gradsko vijeće, pozivamo organizacije civilnog društva da predlože izmjene i komentarišu prijedloge drugih.\n\nPrijedloge mogu podnositi i komentarisati članovi organizacija civilnog društva; svi ostali mogu pratiti raspravu.",
        english=("New rules for funding associations from the city budget", "Civil-society organisations are consulted on the draft rules: criteria, scoring, deadlines and reporting."),
        level=ParticipationLevel.DIALOGUE,
        step=DecisionStep.DRAFTING,
        for_network=True,
        communities=(),
        features={"proposals": {}, "comments": {}, "meetings": {}},
        phases=(
            ("Prijedlozi izmjena", "Proposed amendments", -20, 20, {"proposals.submit": CSO, "comments.comment": CSO, "meetings.attend": CSO}),
            ("Usaglašavanje nacrta", "Finalising the draft", 20, 50, {"comments.comment": CSO}),
        ),
        categories=(("Kriteriji i bodovanje", "Criteria and scoring"), ("Rokovi i postupak", "Deadlines and procedure"), ("Izvještavanje", "Reporting")),
        opened=-25,
        ideas=(
            Idea(
                "Objaviti bodove svake prijave po svakom kriteriju",
                "Predlažemo da rang-lista sadrži bodove koje je svaka prijava dobila po svakom kriteriju, a ne samo ukupan zbir. Tako udruženja mogu razumjeti odluku i sljedeći put napisati bolji projekat, a javnost može provjeriti da je bodovanje bilo pošteno.",
                "", 0, organisation="CGI Neretva", endorsed_by=("UM Stari most", "Bosiljak"),
                comments=(
                    ("cso-member", Stance.FOR, "Podržavamo. Prošle godine smo dobili samo ukupan broj bodova i nismo znali šta da popravimo.", (
                        ("cso-admin", "Upravo zato. Obrazloženje po kriterijima je minimum."),
                    )),
                    ("@Bosiljak", Stance.FOR, "Slažemo se, transparentno bodovanje je osnova povjerenja između Grada i udruženja.", ()),
                    ("officer", "", "Hvala na prijedlogu. Služba ga smatra opravdanim i predložit će da se uvrsti u nacrt.", ()),
                ),
            ),
            Idea(
                "Rok za prigovor najmanje 15 dana",
                "Nacrt predviđa osam dana za prigovor na rang-listu, što je premalo za mala udruženja koja rade volonterski. Predlažemo rok od najmanje 15 dana od objave, i da se rang-lista dostavi e-poštom svim podnosiocima.",
                "", 1, organisation="UM Stari most",
                comments=(
                    ("@KK Blagaj", Stance.FOR, "Osam dana ne stignemo ni sazvati upravni odbor. Petnaest dana je razumno.", ()),
                    ("@Zeleni Hum", Stance.NEUTRAL, "Slažemo se s dužim rokom, ali pitanje je kako to utiče na datum isplate sredstava?", (
                        ("officer", "Duži rok pomjera isplatu za otprilike sedmicu, što je prihvatljivo ako se poziv objavi na vrijeme."),
                    )),
                ),
            ),
            Idea(
                "Višegodišnje finansiranje za provjerene programe",
                "Programi koji traju cijelu godinu, poput savjetovališta ili dnevnih centara, ne mogu planirati rad ako svake godine čekaju novi poziv. Predlažemo mogućnost dvogodišnjeg ili trogodišnjeg ugovora za programe koji su uspješno izvještavali najmanje dvije godine zaredom.",
                "", 0, organisation="Bosiljak",
                comments=(
                    ("cso-admin", Stance.FOR, "Podržavamo, uz uslov da se svake godine podnosi izvještaj i da se ugovor može raskinuti ako program ne radi.", ()),
                    ("cso-member", Stance.AGAINST, "Razumijemo namjeru, ali bojimo se da bi višegodišnji ugovori zatvorili vrata novim udruženjima. Možda dio budžeta rezervisati samo za nove?", (
                        ("@Bosiljak", "Dobar prijedlog: recimo najviše trećina sredstava za višegodišnje programe."),
                    )),
                ),
            ),
            Idea(
                "Jednostavniji obrazac za izvještaj o malim iznosima",
                "Za iznose do 3.000 KM predlažemo kratak obrazac izvještaja na dvije stranice, uz kopije računa. Sadašnji obrazac je isti za 1.000 i za 100.000 KM i odvraća mala udruženja od prijave.",
                "", 2, organisation="CGI Neretva",
                comments=(("@KK Blagaj", Stance.FOR, "Da! Za radionicu od 800 KM pisali smo izvještaj od dvanaest stranica.", ()),),
            ),
        ),
        meetings=(
            MeetingSpec(
                title="Radni sastanak s udruženjima o nacrtu pravilnika",
                english="Working meeting with associations on the draft rules",
                description="Zajednički pregled pristiglih prijedloga izmjena, član po član.",
                starts=7, hour=10, hours=3,
                place="Gradska vijećnica, mala sala", address="Hrvatskih branitelja bb, Mostar",
                agenda="1. Pregled prijedloga izmjena\n2. Kriteriji i bodovanje\n3. Rokovi i prigovori\n4. Izvještavanje",
                capacity=30, registrations=5,
            ),
        ),
    ),
    ProcessSpec(
        municipality="mostar",
        slug="mostar-participativni-budzet-za-mlade",
        language="bs",
        title="Participativni budžet za mlade",
        summary="Mladi od 15 do 30 godina predlažu i biraju projekte za svoje naselje. U pripremi.",
        description="Nacrt procesa: Grad izdvaja dio budžeta o kojem odlučuju mladi. Faze i pravila još se usaglašavaju s Vijećem mladih.",
        english=("Participatory budget for young people", "Young people aged 15 to 30 propose and choose projects for their neighbourhood. In preparation."),
        level=ParticipationLevel.PARTNERSHIP,
        step=DecisionStep.DECISION,
        published=False,
        features={"proposals": {}, "comments": {}, "supports": {"limit": 3}},
        phases=(
            ("Prijedlozi mladih", "Young people's proposals", 40, 70, {"proposals.submit": VER, "comments.comment": REG}),
            ("Glasanje", "Voting", 70, 90, {"supports.support": RES}),
        ),
        opened=-3,
    ),
    ProcessSpec(
        municipality="jablanica",
        slug="jablanica-obala-jezera",
        language="bs",
        title="Obala Jablaničkog jezera za sve",
        summary="Prikupljamo prijedloge za uređenje obale jezera: kupališta, staze, otpad i pristup za čamce.",
        description="Jablaničko jezero je najveće bogatstvo općine, ali obala je na mnogim mjestima zapuštena i teško dostupna. Općina Jablanica priprema plan uređenja obale i želi čuti mještane: gdje se kupate, šta vam smeta i šta biste voljeli.\n\nPrijedloge mogu podnijeti svi registrovani korisnici, a podržati ih mogu potvrđeni stanovnici općine.",
        english=("The shore of Jablanica Lake for everyone", "Ideas for the lake shore: bathing places, paths, waste and access for boats."),
        level=ParticipationLevel.CONSULTATION,
        step=DecisionStep.AGENDA_SETTING,
        communities=("Jablanica", "Ostrožac", "Donja Jablanica"),
        features={"proposals": {}, "comments": {}, "supports": {}},
        phases=(
            ("Prijedlozi", "Proposals", -14, 30, {"proposals.submit": REG, "comments.comment": REG, "supports.support": RES}),
            ("Izrada plana uređenja", "Drafting the plan", 30, 90, {"comments.comment": REG}),
        ),
        categories=(("Kupališta i pristup vodi", "Bathing and access to water"), ("Otpad i čistoća", "Waste and cleanliness"), ("Staze i rekreacija", "Paths and recreation")),
        opened=-16,
        ideas=(
            Idea("Uređeno kupalište ispod Ostrošca",
                 "Ljeti se ispod Ostrošca kupaju stotine ljudi, ali nema ni tuša, ni kabina za presvlačenje, ni kanti za smeće. Predlažemo da se uredi jedno javno kupalište sa stazom do vode, dvije kabine i kantama, a tokom sezone i dežurstvo spasioca.",
                 "Ostrožac", 0, supports=14, comments=4),
            Idea("Otpad koji voda nanese uz obalu kod mosta",
                 "Kad se nivo jezera spusti, uz obalu kod mosta ostaju gomile plastike, granja i starih guma. Niko to ne odvozi, nego čekamo da voda ponovo naraste i sve prekrije. Tražimo redovno čišćenje u jesen i na proljeće.",
                 "Jablanica", 1, kind=PROBLEM, supports=18, states=(EVALUATION,), comments=3),
            Idea("Pješačka i biciklistička staza od Jablanice do Ostrošca",
                 "Predlažemo da se uz stari put od Jablanice prema Ostrošcu uredi staza za pješake i bicikliste, s odmorištima i pogledom na jezero. Staza bi koristila mještanima, a privukla bi i turiste koji danas samo prođu magistralom.",
                 "Jablanica", 2, supports=11, comments=2),
            Idea("Mali pristan za čamce u Donjoj Jablanici",
                 "Ribolovci i mještani čamce vežu gdje stignu, a spuštanje čamca u vodu je opasno. Predlažemo mali drveni pristan s rampom za spuštanje čamaca.",
                 "Donja Jablanica", 0, supports=6, comments=1),
            Idea("Divlje odlaganje građevinskog otpada na obali",
                 "Na makadamskom putu prema jezeru iza naselja neko redovno istresa građevinski otpad. Tražimo da se otpad ukloni, postavi rampa ili tabla sa zabranom i da komunalni inspektor obiđe lokaciju.",
                 "Jablanica", 1, kind=PROBLEM, supports=9, comments=2),
        ),
    ),
    ProcessSpec(
        municipality="ravno",
        slug="ravno-putovi-i-voda",
        language="hr",
        title="Seoski putovi i voda za Popovo polje",
        summary="Razgovori s mještanima o najvećim problemima sela: putovima, opskrbi vodom ljeti i prijevozu.",
        description="Sela Popova polja ljeti ostaju bez vode, a zimi i u proljeće putovi su često neprohodni. Općina Ravno organizira sastanke s mještanima u svakoj mjesnoj zajednici i prikuplja prijedloge koje će uvrstiti u plan kapitalnih ulaganja.\n\nPrijedloge možete napisati ovdje ili ih donijeti na sastanak.",
        english=("Village roads and water for Popovo polje", "Talks with residents about the villages' biggest problems: roads, summer water supply and transport."),
        level=ParticipationLevel.DIALOGUE,
        step=DecisionStep.AGENDA_SETTING,
        features={"proposals": {}, "comments": {}, "meetings": {}},
        phases=(
            ("Sastanci i prijedlozi", "Meetings and proposals", -30, 21, {"proposals.submit": REG, "comments.comment": REG, "meetings.attend": REG}),
            ("Plan ulaganja", "Investment plan", 21, 80, {"comments.comment": REG}),
        ),
        categories=(("Putovi", "Roads"), ("Voda", "Water"), ("Prijevoz", "Transport")),
        opened=-32,
        ideas=(
            Idea("Put od Ravnog do Trebimlje pun udarnih rupa",
                 "Put od Ravnog prema Trebimlji nije presvučen više od dvadeset godina i pun je udarnih rupa. Hitna pomoć i školski kombi njime voze sporo i oštećuju vozila. Molimo barem presvlačenje najgorih dionica prije zime.",
                 "Trebimlja", 0, kind=PROBLEM, states=(EVALUATION,), comments=3),
            Idea("Zavala svakog ljeta ostaje bez vode",
                 "Od srpnja do rujna Zavala redovito ostaje bez vode iz vodovoda, a cisterne dolaze kasno i neredovito. Starije osobe ne mogu same nositi vodu. Predlažemo stalni raspored dovoza vode cisternom i veći spremnik kod mjesne zajednice.",
                 "Zavala", 1, kind=PROBLEM, comments=4),
            Idea("Obnova starih lokvi i čatrnja u Slivnici",
                 "Stare lokve i čatrnje u Slivnici zapuštene su i zarasle, a nekad su služile za stoku i zalijevanje vrtova. Predlažemo da se očiste i obnove, uz pomoć mještana i udruge Ravno naprijed.",
                 "Slivnica", 1, organisation="Ravno naprijed", comments=2),
            Idea("Redovita autobusna linija prema Čapljini",
                 "Iz Ravnog ne vozi nijedna redovita autobusna linija prema Čapljini i Mostaru, pa starije osobe ovise o susjedima. Predlažemo barem dva polaska tjedno, utorkom i petkom, usklađena s radnim vremenom doma zdravlja.",
                 "Ravno", 2, comments=2),
            Idea("Proširenja na uskom putu prema Zavali",
                 "Put prema Zavali je uzak i kad se sretnu dva vozila, jedno se mora vraćati unatrag i po nekoliko stotina metara. Predlažemo nekoliko proširenja (ugibališta) na preglednim mjestima.",
                 "Zavala", 0, comments=1),
        ),
        meetings=(
            MeetingSpec(
                title="Sastanak s mještanima Zavale", english="Meeting with the residents of Zavala",
                description="Načelnik i općinske službe razgovaraju s mještanima o vodi, putovima i prijevozu.",
                starts=-10, hour=17, hours=2, place="Prostorije mjesne zajednice Zavala", address="Zavala, Ravno",
                agenda="1. Opskrba vodom tijekom ljeta\n2. Put prema Zavali\n3. Razno",
                capacity=40, registrations=9, attendance=27,
                minutes="Sastanku je nazočilo 27 mještana. Dogovoreno je da općina do sljedećeg ljeta postavi spremnik za vodu od 20 kubika kod mjesne zajednice i objavi raspored dovoza vode cisternom. Mještani su predložili tri mjesta za proširenje puta; općinska služba će ih obići i procijeniti troškove.",
            ),
            MeetingSpec(
                title="Sastanak s mještanima Trebimlje", english="Meeting with the residents of Trebimlja",
                description="Razgovor o putu Ravno – Trebimlja i ostalim prijedlozima mještana.",
                starts=6, hour=17, hours=2, place="Prostorije mjesne zajednice Trebimlja", address="Trebimlja, Ravno",
                agenda="1. Put Ravno – Trebimlja: procjena stanja i troškova\n2. Prijedlozi mještana",
                capacity=40, registrations=5,
            ),
        ),
    ),
    ProcessSpec(
        municipality="zavidovici",
        slug="zavidovici-omladinska-strategija",
        language="bs",
        title="Omladinska strategija općine Zavidovići",
        summary="Mladi, omladinske organizacije i općina zajedno pišu strategiju za mlade za narednih pet godina.",
        description="Općina Zavidovići izrađuje novu omladinsku strategiju zajedno s Vijećem mladih i omladinskim organizacijama. Organizacije civilnog društva predlažu mjere, a svi mladi mogu odgovoriti na anketu i komentarisati prijedloge.\n\nNacrt strategije bit će objavljen ovdje prije nego što ga usvoji Općinsko vijeće.",
        english=("Youth strategy of Zavidovići", "Young people, youth organisations and the municipality write the five-year youth strategy together."),
        level=ParticipationLevel.PARTNERSHIP,
        step=DecisionStep.DRAFTING,
        features={"proposals": {}, "comments": {}, "polls": {}, "meetings": {}},
        phases=(
            ("Anketa i prijedlozi mjera", "Survey and proposed measures", -25, 20, {
                "proposals.submit": CSO, "proposals.endorse": CSO, "comments.comment": REG, "polls.vote": ANY, "meetings.attend": REG,
            }),
            ("Nacrt strategije", "Draft strategy", 20, 60, {"comments.comment": REG}),
        ),
        categories=(("Zapošljavanje", "Employment"), ("Obrazovanje", "Education"), ("Slobodno vrijeme i kultura", "Leisure and culture")),
        opened=-27,
        ideas=(
            Idea("Program prve prakse za mlade u lokalnim firmama",
                 "Predlažemo da općina sufinansira šestomjesečnu praksu za mlade bez radnog iskustva u lokalnim firmama, zanatskim radnjama i udruženjima. Općina bi plaćala dio naknade i doprinose, a firme mentora. Tako mladi dobijaju prvo iskustvo, a firme radnike koje su same obučile.",
                 "Centar", 0, organisation="OC Krivaja", endorsed_by=("Glas građana",), comments=4),
            Idea("Pristupačan omladinski centar za mlade s invaliditetom",
                 "Omladinski prostori u Zavidovićima nemaju rampu ni prilagođen toalet, pa mladi s invaliditetom ne mogu učestvovati u aktivnostima. Predlažemo da se prilagodba prostora uvrsti u strategiju kao prva mjera, uz obuku voditelja programa.",
                 "Centar", 2, organisation="Korak", endorsed_by=("OC Krivaja",), comments=3),
            Idea("Škola aktivnog građanstva za srednjoškolce",
                 "Predlažemo godišnji program u kojem srednjoškolci uče kako radi općina, prisustvuju sjednici vijeća i sami pripreme jednu inicijativu za svoju mjesnu zajednicu. Program bi vodila udruženja, uz podršku škola i općinske službe.",
                 "Centar", 1, organisation="Glas građana", endorsed_by=("Bosna zelena",), comments=2),
            Idea("Besplatan prostor za probe mladih muzičara",
                 "Mladi bendovi nemaju gdje vježbati. Predlažemo da se jedan od neiskorištenih općinskih prostora uredi kao prostor za probe, s osnovnom opremom i rasporedom termina koji bi vodio omladinski centar.",
                 "Centar", 2, organisation="OC Krivaja", comments=5),
        ),
        polls=(
            PollSpec(
                title="Šta mladima u Zavidovićima najviše nedostaje?",
                english="What do young people in Zavidovići miss most?",
                description="Anketa za mlade od 15 do 30 godina. Traje pet minuta, a možete je popuniti i na pametnoj klupi u centru grada.",
                opens=-25, closes=20,
                questions=(
                    ("single", "Koliko imate godina?", None, (("15–18", 35), ("19–24", 40), ("25–30", 25))),
                    ("multiple", "Šta vam najviše nedostaje u Zavidovićima? Izaberite najviše tri odgovora.", 3, (
                        ("Posao i praksa", 40), ("Mjesta za izlaske i druženje", 30), ("Sport i rekreacija", 18),
                        ("Kultura i koncerti", 20), ("Bolji prevoz do sela", 12), ("Savjetovanje i podrška", 8),
                    )),
                    ("ranking", "Poredajte predložene mjere po važnosti (prve tri).", 3, (
                        ("Prva praksa u lokalnim firmama", 40), ("Pristupačan omladinski centar", 20),
                        ("Škola aktivnog građanstva", 15), ("Prostor za probe muzičara", 25),
                    )),
                    ("text", "Šta biste promijenili da ste vi općinski načelnik?", None, ()),
                ),
                ballots={Source.WEB: 70, Source.BENCH: 35, Source.PAPER: 15},
                answers=(
                    "Otvorio bih omladinski centar koji radi i vikendom.",
                    "Više autobusa do sela navečer.",
                    "Stipendije za one koji se vrate nakon fakulteta.",
                    "Koncerti ljeti na obali Krivaje.",
                    "Da mladi imaju svoje mjesto u općinskom vijeću.",
                    "Brži internet u selima, pa da možemo raditi od kuće.",
                ),
            ),
        ),
        meetings=(
            MeetingSpec(
                title="Forum mladih: predstavljanje prijedloga mjera", english="Youth forum: the proposed measures",
                description="Omladinske organizacije predstavljaju svoje prijedloge, a mladi pitaju i glasaju za prioritete.",
                starts=12, hour=18, hours=2, place="Sala Općine Zavidovići", address="Zavidovići",
                capacity=80, registrations=17,
            ),
        ),
    ),
    ProcessSpec(
        municipality="zepce",
        slug="zepce-proracun-po-mjeri-gradana",
        language="hr",
        title="Proračun po mjeri građana",
        summary="Mještani predlažu male komunalne projekte i podržavaju najviše tri; najpodržaniji ulaze u proračun za sljedeću godinu.",
        description="Općina Žepče prvi put dio proračuna za mjesne zajednice raspoređuje prema prijedlozima građana. Svatko s potvrđenim prebivalištem može predložiti mali projekt do 20.000 KM u svojoj mjesnoj zajednici i podržati najviše tri prijedloga.\n\nPrijedlozi s najmanje 15 potpora idu na stručnu procjenu, a oni koji je prođu ulaze u proračun.",
        english=("A budget made with citizens", "Residents propose small community projects and support up to three; the most supported go into next year's budget."),
        level=ParticipationLevel.PARTNERSHIP,
        step=DecisionStep.DECISION,
        features={"proposals": {}, "comments": {}, "supports": {"limit": 3, "threshold": 15}, "results": {}},
        phases=(
            ("Prijedlozi", "Proposals", -40, -10, {"proposals.submit": RES, "comments.comment": REG}),
            ("Potpore", "Supports", -10, 15, {"supports.support": RES, "comments.comment": REG}),
            ("Stručna procjena", "Assessment", 15, 45, {}),
            ("Provedba", "Implementation", 45, 400, {}),
        ),
        categories=(("Komunalna infrastruktura", "Infrastructure"), ("Djeca i mladi", "Children and youth"), ("Sport i rekreacija", "Sport and recreation")),
        opened=-42,
        ideas=(
            Idea("Javna rasvjeta na putu od Ozimice do škole",
                 "Djeca iz gornjeg dijela Ozimice zimi idu u školu po mraku, putem bez ijedne svjetiljke. Predlažemo desetak LED svjetiljki na najmračnijoj dionici, od raskrižja do škole.",
                 "Ozimica", 0, supports=17, comments=3),
            Idea("Obnova dječjeg igrališta u Lugu",
                 "Igralište pokraj doma u Lugu ima stare, zahrđale sprave. Udruga Lug zajedno već održava prostor i spremna je pomoći u radovima. Tražimo nove ljuljačke, tobogan i podlogu koja ublažava pad.",
                 "Lug", 1, supports=12, organisation="Lug zajedno", comments=2),
            Idea("Nadstrešnica na autobusnom stajalištu u Golubinji",
                 "Učenici i radnici u Golubinji autobus čekaju uz cestu, na kiši i snijegu. Predlažemo nadstrešnicu s klupom i rasvjetom.",
                 "Golubinja", 0, supports=9, comments=1),
            Idea("Uređenje nogometnog igrališta u Ozimici",
                 "Seosko nogometno igralište nema ogradu ni svlačionicu, a teren je neravan. Predlažemo poravnanje terena, novu travu i ogradu iza golova, a svlačionicu u sljedećoj fazi.",
                 "Ozimica", 2, supports=6, comments=2),
            Idea("Klupe i koševi za smeće uz šetnicu na Bosni",
                 "Šetnica uz Bosnu sve je posjećenija, ali na cijeloj dužini ima tek nekoliko klupa. Predlažemo još deset klupa, koševe za smeće i dvije table s kartom šetnice.",
                 "Žepče", 2, supports=14, comments=2),
            Idea("Most preko potoka u Lugu u lošem stanju",
                 "Drveni most preko potoka u Lugu je truo, a ograda je na jednoj strani otpala. Preko njega svakodnevno prelaze djeca. Molimo hitan popravak ili zamjenu.",
                 "Lug", 0, kind=PROBLEM, supports=21, comments=4),
        ),
    ),
    ProcessSpec(
        municipality="maglaj",
        slug="maglaj-zastita-od-poplava",
        language="bs",
        title="Zaštita od poplava: prijedlozi mjesnih zajednica",
        summary="Mjesne zajednice predlažu šta još treba uraditi da se voda više ne vrati u kuće.",
        description="Maglaj je u poplavama 2014. godine pretrpio ogromnu štetu. Mnogo je od tada urađeno, ali mještani najbolje znaju gdje su nasipi slabi, gdje su propusti začepljeni i kome prvo treba pomoć.\n\nOpćina je prikupila prijedloge mjesnih zajednica; sada ih stručna služba ocjenjuje, a odgovori se objavljuju ovdje.",
        english=("Flood protection: proposals of local communities", "Local communities propose what still has to be done to keep the water out of homes."),
        level=ParticipationLevel.CONSULTATION,
        step=DecisionStep.DRAFTING,
        features={"proposals": {}, "comments": {}, "supports": {}, "meetings": {}, "results": {}},
        phases=(
            ("Prijedlozi", "Proposals", -60, -15, {"proposals.submit": REG, "comments.comment": REG, "supports.support": REG, "meetings.attend": REG}),
            ("Ocjena prijedloga", "Evaluation", -15, 30, {"comments.comment": REG}),
            ("Provedba", "Implementation", 30, 400, {"comments.comment": REG}),
        ),
        categories=(("Nasipi i korita", "Embankments and riverbeds"), ("Upozorenje i evakuacija", "Warning and evacuation")),
        opened=-62,
        ideas=(
            Idea("Čišćenje korita potoka u Bočinji",
                 "Korito potoka kroz Bočinju zatrpano je šljunkom i granjem, a most kod džamije voda je 2014. prelila za pola sata. Tražimo čišćenje korita prije jesenjih kiša i redovno održavanje svake godine.",
                 "Bočinja", 0, kind=PROBLEM, supports=16, states=(EVALUATION, ACCEPTED), comments=3,
                 answer="Prijedlog je prihvaćen. Čišćenje korita na dužini od 800 metara uvršteno je u plan za jesen, a troškove dijele Općina i Agencija za vodno područje rijeke Save.",
                 result=ResultSpec("Čišćenje korita potoka u Bočinji", "Čišćenje 800 metara korita i redovno održavanje svake godine.",
                                   ResultStatus.PLANNED, 0, budget=18000, starts=40, ends=70, english="Clearing the stream bed in Bočinja")),
            Idea("Sirene i SMS upozorenje za Misuriće",
                 "Misurići su 2014. saznali za poplavu kad je voda već ušla u dvorišta. Predlažemo sirenu u naselju i sistem SMS upozorenja na koji se mještani mogu prijaviti, povezan s mjerenjem vodostaja Bosne.",
                 "Misurići", 1, supports=11, states=(EVALUATION,), comments=4),
            Idea("Začepljen propust ispod puta u Novom Šeheru",
                 "Propust ispod glavnog puta u Novom Šeheru je začepljen, pa voda s brda kod svake jače kiše teče preko puta i u kuće ispod njega. Tražimo čišćenje i veću cijev.",
                 "Novi Šeher", 0, kind=PROBLEM, supports=7, states=(EVALUATION, ACCEPTED, IN_PROGRESS, DONE), comments=2,
                 answer="Prihvaćeno u okviru redovnog održavanja lokalnih puteva.",
                 result=ResultSpec("Novi propust u Novom Šeheru", "Očišćen kanal i ugrađena cijev većeg promjera.",
                                   ResultStatus.DONE, 100, budget=6500, starts=-30, ends=-10, english="New culvert in Novi Šeher",
                                   updates=((-25, 40, ResultStatus.IN_PROGRESS, "Kanal je očišćen."),
                                            (-12, 100, ResultStatus.DONE, "Ugrađena je nova cijev promjera 80 cm; voda pri posljednjoj kiši više nije prelazila put.")))),
            Idea("Plan evakuacije i vreće s pijeskom za svaku mjesnu zajednicu",
                 "Svaka mjesna zajednica treba znati gdje su sabirna mjesta, ko pomaže starijima i bolesnima i gdje se nalaze vreće s pijeskom. Predlažemo da civilna zaštita s mjesnim zajednicama izradi jednostavan plan i da se jednom godišnje održi vježba.",
                 "Maglaj", 1, supports=9, states=(EVALUATION,), comments=2),
            Idea("Viši zid uz Bosnu u centru Maglaja",
                 "Predlažemo da se obaloutvrda uz Bosnu u centru podigne za još pola metra, jer je voda 2014. prešla preko nje.",
                 "Maglaj", 0, supports=20, states=(EVALUATION, REJECTED), comments=5,
                 answer="Obaloutvrda u centru grada je dio sistema odbrane od poplava kojim upravlja Agencija za vodno područje rijeke Save. Projekat njenog nadvišenja već je u pripremi kod Agencije, pa ga Općina ne može posebno finansirati; vaš prijedlog smo proslijedili Agenciji."),
        ),
        meetings=(
            MeetingSpec(
                title="Javna rasprava o zaštiti od poplava", english="Public debate on flood protection",
                description="Predstavnici općine, civilne zaštite i mjesnih zajednica razgovaraju o pristiglim prijedlozima.",
                starts=-25, hour=18, hours=2, place="Sala Općine Maglaj", address="Maglaj",
                agenda="1. Šta je urađeno od 2014.\n2. Prijedlozi mjesnih zajednica\n3. Plan za narednu godinu",
                capacity=80, registrations=14, attendance=46,
                minutes="Raspravi je prisustvovalo 46 mještana iz svih mjesnih zajednica. Civilna zaštita je predstavila stanje nasipa i propusta. Mještani Misurića i Bočinje tražili su da njihovi prijedlozi imaju prednost; općina je obećala odgovor na sve prijedloge u roku od 45 dana.",
            ),
        ),
    ),
    ProcessSpec(
        municipality="nevesinje",
        slug="nevesinje-zimsko-odrzavanje",
        language="sr",
        title="Зимско одржавање сеоских путева",
        summary="Гдје снијег прво треба очистити? Анкета и приједлози мјештана за план зимског одржавања.",
        description="Прошле зиме поједина села била су и по неколико дана одсјечена од Невесиња. Општина прије нове сезоне ревидира план зимског одржавања и жели да чује мјештане: које путеве треба чистити прве, гдје су најопаснији успони и ко у селу може помоћи.\n\nАнкету можете попунити и на паметној клупи у центру или на папиру у мјесној заједници.",
        english=("Winter maintenance of village roads", "Where should snow be cleared first? A survey and residents' proposals for the winter maintenance plan."),
        level=ParticipationLevel.CONSULTATION,
        step=DecisionStep.DRAFTING,
        features={"proposals": {}, "comments": {}, "polls": {}},
        phases=(
            ("Анкета и приједлози", "Survey and proposals", -20, 10, {"proposals.submit": REG, "comments.comment": REG, "polls.vote": ANY}),
            ("План зимског одржавања", "Winter maintenance plan", 10, 40, {"comments.comment": REG}),
        ),
        categories=(("Путеви", "Roads"), ("Организација", "Organisation")),
        opened=-22,
        ideas=(
            Idea("Пут до Биограда очистити прије седам ујутро",
                 "Ђаци и радници из Биограда крећу прије седам, а ралица до нас стиже тек око подне. Молимо да се пут до Биограда уврсти у први круг чишћења, одмах послије магистралног пута.",
                 "Biograd", 0, kind=PROBLEM, states=(EVALUATION,), comments=3),
            Idea("Посипање успона код Зовог Дола",
                 "Успон на улазу у Зови До је стрм и у сјенци, па се ледена кора задржи данима. Камиони и аутобуси ту стају и клизе уназад. Предлажемо сандук са сољу и ризлом на врху успона и редовно посипање.",
                 "Zovi Do", 0, kind=PROBLEM, comments=2),
            Idea("Мјештани с тракторима као дежурни за снијег",
                 "У Кифином Селу има мјештана с тракторима и плуговима који би могли чистити локалне путеве одмах послије сњежних падавина. Предлажемо да општина с њима потпише уговоре и плаћа по сату рада, као што раде друге општине у Херцеговини.",
                 "Kifino Selo", 1, comments=4),
            Idea("Јавна мапа очишћених путева",
                 "Предлажемо да општина током зиме на свом сајту објављује мапу која показује који су путеви очишћени и када. Мјештани би знали могу ли кренути, а диспечер би имао мање позива.",
                 "Nevesinje", 1, comments=1),
            Idea("Снијег с магистралног пута затрпава улаз у село",
                 "Кад ралица очисти магистрални пут, снијег набаци на одвојак за село, па мјештани ујутро морају лопатама да отварају пут. Молимо да се при чишћењу води рачуна о одвојцима.",
                 "Biograd", 0, kind=PROBLEM, comments=2),
        ),
        polls=(
            PollSpec(
                title="Зима на вашем путу", english="Winter on your road",
                description="Четири кратка питања о прошлој зими. Одговори помажу општини да одреди редослијед чишћења путева.",
                opens=-20, closes=10,
                questions=(
                    ("single", "Колико дана је ваш пут прошле зиме био непроходан?", None, (
                        ("Ниједан", 10), ("Један до два дана", 30), ("Три до седам дана", 40), ("Више од седам дана", 20),
                    )),
                    ("multiple", "Шта вам је највећи проблем зими? Изаберите највише два одговора.", 2, (
                        ("Неочишћен пут", 40), ("Поледица", 30), ("Нема превоза до града", 15), ("Прекиди струје", 10), ("Пут до љекара", 20),
                    )),
                    ("ranking", "Поредајте шта треба очистити прво.", 3, (
                        ("Пут до школе", 35), ("Пут до амбуланте", 30), ("Пут до магистралног пута", 25), ("Улице у насељу", 10),
                    )),
                    ("text", "Шта још треба да знамо о вашем путу?", None, ()),
                ),
                ballots={Source.WEB: 25, Source.BENCH: 40, Source.PAPER: 30},
                answers=(
                    "Ралица не долази до задњих кућа, а тамо живе старији.",
                    "На кривини испред цркве се сваке зиме неко слупа.",
                    "Могу да помогнем трактором ако општина плати гориво.",
                    "Хвала што питате, први пут нас неко пита.",
                ),
            ),
        ),
    ),
    ProcessSpec(
        municipality="berkovici",
        slug="berkovici-mladi",
        language="sr",
        title="Шта младима треба у Берковићима?",
        summary="Кратка анкета и разговор с младима: посао, дружење, превоз и шта би их задржало у Берковићима.",
        description="Берковићи су мала општина и млади из ње одлазе. Општина и удружење „Берковићи сутра” желе да чују младе од 15 до 35 година: шта им недостаје, шта би покренули и шта би их задржало.\n\nАнкету можете попунити на интернету, на паметној клупи испред општине или на папиру у општини.",
        english=("What do young people need in Berkovići?", "A short survey and a conversation with young people: jobs, places to meet, transport and what would keep them in Berkovići."),
        level=ParticipationLevel.CONSULTATION,
        step=DecisionStep.AGENDA_SETTING,
        features={"comments": {}, "polls": {}, "meetings": {}},
        phases=(
            ("Анкета", "Survey", -10, 25, {"polls.vote": ANY, "meetings.attend": REG, "comments.comment": REG}),
            ("Закључци", "Conclusions", 25, 60, {"comments.comment": REG}),
        ),
        opened=-12,
        polls=(
            PollSpec(
                title="Млади у Берковићима", english="Young people in Berkovići",
                description="Анкета за младе од 15 до 35 година.",
                opens=-10, closes=25,
                questions=(
                    ("single", "Да ли планирате да останете у Берковићима наредних пет година?", None, (
                        ("Да", 15), ("Вјероватно да", 20), ("Вјероватно не", 30), ("Не", 20), ("Не знам", 15),
                    )),
                    ("multiple", "Шта би вас задржало? Изаберите највише три одговора.", 3, (
                        ("Сталан посао", 45), ("Подршка за покретање посла", 25), ("Простор за дружење", 20),
                        ("Бољи превоз до Требиња и Мостара", 25), ("Спортски терени", 10), ("Бржи интернет", 15),
                    )),
                    ("text", "Коју бисте идеју покренули у Берковићима?", None, ()),
                ),
                ballots={Source.WEB: 30, Source.BENCH: 12, Source.PAPER: 18},
                answers=(
                    "Сеоски туризам, куће у Дабрици су прелијепе.",
                    "Кафић за младе који није кладионица.",
                    "Задругу за мед и сир.",
                    "Љетни камп за дјецу из града.",
                ),
            ),
        ),
        meetings=(
            MeetingSpec(
                title="Разговор с младима уз кафу", english="A coffee with young people",
                description="Неформалан разговор с начелником и удружењем „Берковићи сутра” о резултатима анкете.",
                starts=5, hour=19, hours=2, place="Сала Општине Берковићи", address="Берковићи",
                capacity=40, registrations=8, comments=3,
            ),
        ),
    ),
    ProcessSpec(
        municipality="prijedor",
        slug="prijedor-zeleni-prijedor",
        language="sr",
        title="Зелени Приједор: паркови и дрвореди",
        summary="Приједлози грађана за нове дрвореде, уређење паркова и зелених површина у мјесним заједницама.",
        description="Град Приједор припрема програм озелењавања за наредне три године. Позивамо грађане да предложе гдје треба засадити дрвеће, које паркове обновити и које зелене површине заштитити.\n\nПриједлоге могу подржати сви регистровани корисници; они са највише подршке улазе у програм.",
        english=("Green Prijedor: parks and tree-lined streets", "Citizens' proposals for new trees, park renovation and green spaces in the local communities."),
        level=ParticipationLevel.CONSULTATION,
        step=DecisionStep.AGENDA_SETTING,
        communities=("Centar", "Urije", "Orlovača", "Ljubija"),
        features={"proposals": {}, "comments": {}, "supports": {}, "meetings": {}},
        phases=(
            ("Приједлози и подршка", "Proposals and supports", -18, 40, {
                "proposals.submit": VER, "comments.comment": REG, "supports.support": REG, "meetings.attend": REG,
            }),
            ("Израда програма озелењавања", "Drafting the greening programme", 40, 100, {"comments.comment": REG}),
        ),
        categories=(("Дрвореди", "Tree-lined streets"), ("Паркови", "Parks"), ("Зелене површине", "Green spaces")),
        opened=-20,
        ideas=(
            Idea("Дрворед липа уз обалу Сане",
                 "Шеталиште уз Сану љети нема хлада, а клупе стоје на сунцу. Предлажемо дрворед липа цијелом дужином шеталишта, уз систем за заливање прве двије године.",
                 "Centar", 0, supports=24, comments=4),
            Idea("Обнова клупа и стаза у Градском парку",
                 "Клупе у Градском парку су поломљене, стазе испуцале, а чесма не ради годинама. Предлажемо обнову парка у фазама, почевши од дјечијег дијела.",
                 "Centar", 1, supports=17, comments=3),
            Idea("Ограђен парк за псе на Уријама",
                 "На Уријама живи много власника паса, а пси трче по зеленим површинама гдје се играју дјеца. Предлажемо ограђен простор за псе с кантама и чесмом, на запуштеној ливади иза зграда.",
                 "Urije", 2, supports=12, comments=5),
            Idea("Компостери за породичне куће на Орловачи",
                 "Предлажемо да град домаћинствима на Орловачи подијели компостере за баштенски и кухињски отпад. Мање отпада би ишло на депонију, а баште би добиле бесплатно ђубриво.",
                 "Orlovača", 2, supports=8, comments=1),
            Idea("Дрвеће које је срушило невријеме у Љубији још није уклоњено",
                 "Прије три мјесеца невријеме је у Љубији срушило неколико старих стабала. Стабла и данас леже поред пута и на игралишту. Молимо да се уклоне и да се на њиховом мјесту засаде нова.",
                 "Ljubija", 2, kind=PROBLEM, supports=21, states=(EVALUATION, ACCEPTED, IN_PROGRESS), comments=3,
                 answer="Приједлог је прихваћен. Комунално предузеће уклања стабла ове седмице, а садња нових је планирана за јесен."),
            Idea("Жардињере и зелени зидови у пјешачкој зони",
                 "Пјешачка зона у центру је љети ужарена од камена и бетона. Предлажемо велике жардињере с дрвећем и зелене зидове на фасадама градских зграда.",
                 "Centar", 1, supports=5, comments=2),
        ),
        meetings=(
            MeetingSpec(
                title="Шетња с грађанима: гдје засадити дрвеће?", english="A walk with citizens: where to plant trees?",
                description="Заједничка шетња од Градске управе до обале Сане с пејзажним архитектом, да на лицу мјеста видимо гдје дрвеће има смисла.",
                starts=8, hour=10, hours=2, place="Окупљање испред Градске управе", address="Приједор",
                capacity=30, registrations=11,
            ),
        ),
    ),
    ProcessSpec(
        municipality="novi-grad",
        slug="novi-grad-una-za-sve",
        language="sr",
        title="Уна за све: уређење обале у Новом Граду",
        summary="Удружења и општина заједно планирају уређење обале Уне: плаже, стазе и заштиту ријеке.",
        description="Уна је понос Новог Града, али обала у граду је великим дијелом неуређена. Општина је с удружењем „Уна заједно” покренула заједничко планирање: удружења предлажу пројекте, а сви грађани могу да их подрже и коментаришу.\n\nНајбољи приједлози биће кандидовани за фондове за прекограничну сарадњу.",
        english=("The Una for everyone: the riverbank in Novi Grad", "Associations and the municipality plan the Una riverbank together: beaches, paths and river protection."),
        level=ParticipationLevel.PARTNERSHIP,
        step=DecisionStep.DRAFTING,
        features={"proposals": {}, "comments": {}, "supports": {}},
        phases=(
            ("Приједлози удружења", "Proposals of associations", -30, -5, {"proposals.submit": CSO, "proposals.endorse": CSO, "comments.comment": REG}),
            ("Подршка грађана", "Citizens' support", -5, 25, {"supports.support": REG, "comments.comment": REG}),
            ("Припрема пројеката", "Preparing projects", 25, 120, {"comments.comment": CSO}),
        ),
        categories=(("Плаже и приступ ријеци", "Beaches and river access"), ("Стазе", "Paths"), ("Заштита ријеке", "River protection")),
        opened=-32,
        ideas=(
            Idea("Уређена градска плажа на Уни",
                 "Предлажемо уређену градску плажу испод центра: шљунчани прилаз води, туш, кабине, канте за отпад и спасилац током јула и августа. Плажа би била приступачна и особама у колицима.",
                 "Centar", 0, supports=19, organisation="Una zajedno", comments=4),
            Idea("Стаза за шетњу и бицикл од центра до Рудица",
                 "Предлажемо стазу уз Уну од центра града до Рудица, дугу око четири километра, с одмориштима и таблама о биљкама и животињама ријеке.",
                 "Rudice", 1, supports=14, organisation="Una zajedno", comments=2),
            Idea("Мјерење квалитета воде Уне и јавни приказ резултата",
                 "Млади из удружења већ двије године узимају узорке воде. Предлажемо да општина финансира редовне лабораторијске анализе, а резултате објављује на екрану у центру и на интернету.",
                 "Centar", 2, supports=10, organisation="Novi talas", endorsed_by=("Una zajedno",), comments=3),
            Idea("Прилаз ријеци и пристан за кајаке у Добрљину",
                 "У Добрљину нема уређеног прилаза Уни, иако ту долазе кајакаши и риболовци. Предлажемо мали пристан и паркинг за неколико возила.",
                 "Dobrljin", 0, supports=7, organisation="Dobrljin za sve", endorsed_by=("Una zajedno",), comments=1),
        ),
    ),
    ProcessSpec(
        municipality="kostajnica",
        slug="kostajnica-podrska-udruzenjima",
        language="sr",
        title="Правилник о подршци удружењима: нацрт за јавне консултације",
        summary="Удружења коментаришу нацрт правилника о расподјели средстава из општинског буџета.",
        description="Општина Костајница је припремила нацрт правилника о финансирању удружења грађана. Прије упућивања Скупштини општине позивамо удружења да предложе измјене.\n\nПриједлоге и коментаре могу писати чланови удружења, а текст је јаван за све.",
        english=("Rules for supporting associations: draft for consultation", "Associations comment on the draft rules for distributing municipal budget funds."),
        level=ParticipationLevel.DIALOGUE,
        step=DecisionStep.DRAFTING,
        for_network=True,
        communities=(),
        features={"proposals": {}, "comments": {}, "meetings": {}},
        phases=(
            ("Коментари на нацрт", "Comments on the draft", -12, 18, {"proposals.submit": CSO, "comments.comment": CSO, "meetings.attend": CSO}),
            ("Коначни приједлог", "Final proposal", 18, 45, {}),
        ),
        categories=(("Критерији", "Criteria"), ("Поступак", "Procedure")),
        opened=-14,
        ideas=(
            Idea("Додатни бодови за пројекте с партнерима из сусједних општина",
                 "Многи наши пројекти настају у сарадњи с удружењима из Хрватске Костајнице и сусједних општина. Предлажемо да правилник пројектима с партнерима да до пет додатних бодова, јер тако лакше долазимо до европских фондова.",
                 "", 0, organisation="Kostajnički most",
                 comments=(
                     ("@UG Mrakodol", Stance.FOR, "Подржавамо. Партнерство је услов за скоро сваки европски позив.", ()),
                     ("@Aktivni penzioneri", Stance.NEUTRAL, "Слажемо се, али мала удружења без партнера не смију због тога бити у лошијем положају.", (
                         ("@Kostajnički most", "Зато предлажемо додатне бодове, а не услов. Нико не губи бодове."),
                     )),
                 )),
            Idea("Предујам од 50 одсто по потписивању уговора",
                 "Мала удружења немају новца да финансирају пројекат док чекају исплату. Предлажемо да се половина средстава исплати одмах по потписивању уговора, а остатак након прихваћеног извјештаја.",
                 "", 1, organisation="Aktivni penzioneri",
                 comments=(
                     ("@Kostajnički most", Stance.FOR, "Без предујма смо прошле године морали позајмљивати од чланова.", ()),
                     ("officer", "", "Хвала на приједлогу. Провјерићемо с одјељењем за финансије да ли је предујам од 50 одсто у складу с прописима о буџету.", ()),
                 )),
            Idea("Комисија у којој је и представник удружења",
                 "Предлажемо да у комисији за оцјену пројеката, поред службеника општине, буде и један представник удружења који није подносилац пријаве на том позиву.",
                 "", 1, organisation="UG Mrakodol",
                 comments=(("@Aktivni penzioneri", Stance.FOR, "Добра идеја, то повећава повјерење у одлуке комисије.", ()),)),
        ),
        meetings=(
            MeetingSpec(
                title="Састанак с удружењима о нацрту правилника", english="Meeting with associations on the draft rules",
                description="Разговор о пристиглим приједлозима измјена.",
                starts=4, hour=12, hours=2, place="Сала Скупштине општине Костајница", address="Костајница",
                capacity=25, registrations=4,
            ),
        ),
    ),
)  # fmt: skip

PROCESSES = (MOSTAR, TREBINJE, *OTHER_PROCESSES)


# --- Building -------------------------------------------------------------------------------------------------


def _at(days: float, hour: int = 0) -> datetime.datetime:
    """`hour` o'clock local time, `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    return start + (end - start) * rng.random()


@dataclass
class Town:
    """A municipality with the people who take part in its processes."""

    municipality: Municipality
    communities: dict
    residents: list
    officer: object
    members: dict  # organisation short name: (organisation, a member who speaks for it)


@dataclass
class CommentDraft:
    author: object
    body: str
    at: datetime.datetime
    stance: str = ""
    official: bool = False
    replies: list = field(default_factory=list)


@dataclass
class Draft:
    """A proposal not yet written, with everything that hangs on it."""

    proposal: Proposal
    created_at: datetime.datetime
    supporters: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    history: list = field(default_factory=list)  # unsaved StateChanges, their `changed_at` set
    endorsements: list = field(default_factory=list)  # (organisation, member)
    result: ResultSpec | None = None


def _demo_accounts() -> dict:
    users = get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    return {user.email.split("@")[0]: user for user in users}


def make_people(municipality: Municipality, count: int, weights, rng: random.Random, prefix: str = "") -> list:
    """`count` users with local names and no usable password, written in one insert."""
    User = get_user_model()
    password = make_password(None)
    people = []
    for number in range(1, count + 1):
        first_names, last_names = NAMES[rng.choices(("bs", "hr", "sr"), weights)[0]]
        first, last = rng.choice(first_names), rng.choice(last_names)
        email = f"{prefix}{search_key(first)}.{search_key(last)}.{number}@{municipality.slug}.{DEMO_DOMAIN}"
        people.append(User(email=email, first_name=first, last_name=last, password=password))
    return User.objects.bulk_create(people)


def _towns(rng: random.Random, accounts: dict) -> dict:
    """Residents (verified), an officer and a member per CSO for every municipality."""
    towns = {}
    residencies, memberships, roles = [], [], []
    organisations = {}
    for organisation in Organisation.objects.filter(verified=True).order_by("pk"):
        organisations.setdefault(organisation.municipality_id, []).append(organisation)
    for municipality in Municipality.objects.prefetch_related("communities").order_by("name"):
        count, weights = RESIDENTS.get(municipality.slug, (15, (1, 1, 1)))
        residents = make_people(municipality, count, weights, rng)
        officer = accounts.get("officer") if municipality.slug == "mostar" else None
        if officer is None:
            officer = make_people(municipality, 1, weights, rng, prefix="sluzbenik.")[0]
            roles.append(MunicipalRole(user=officer, municipality=municipality, role=MunicipalRole.Role.OFFICER))
        for person in residents:
            by_code = rng.random() < 0.3
            residencies.append(
                Residency(
                    user=person,
                    municipality=municipality,
                    method=Residency.Method.CODE if by_code else Residency.Method.OFFICER,
                    verified_by=None if by_code else officer,
                )
            )
        members = {}
        for organisation, person in zip(organisations.get(municipality.pk, []), residents, strict=False):
            memberships.append(OrganisationMembership(user=person, organisation=organisation))
            speaker = accounts.get(DEMO_MEMBERS.get(organisation.short_name, ""), person)
            members[organisation.short_name] = (organisation, speaker)
        towns[municipality.slug] = Town(
            municipality=municipality,
            communities={community.name: community for community in municipality.communities.all()},
            residents=residents,
            officer=officer,
            members=members,
        )
    Residency.objects.bulk_create(residencies)
    OrganisationMembership.objects.bulk_create(memberships)
    MunicipalRole.objects.bulk_create(roles)
    return towns


def create_process(spec: ProcessSpec, town: Town, rng: random.Random) -> tuple[Process, list[Category]]:
    """The process with its features (settings cleaned by the registry), phases, capabilities and categories."""
    language = spec.language
    english_title, english_summary = spec.english
    process = Process.objects.create(
        municipality=town.municipality,
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        description=spec.description,
        language=language,
        translations={"en": {"title": english_title, "summary": english_summary}},
        level=spec.level,
        decision_step=spec.step,
        published=spec.published,
        for_network=spec.for_network,
        created_by=town.officer,
        seed=rng.randrange(1, 2**31),
    )
    Process.objects.filter(pk=process.pk).update(created_at=_at(spec.opened, 9))
    names = town.communities if spec.communities is None else spec.communities
    process.communities.set([town.communities[name] for name in names])
    ProcessFeature.objects.bulk_create(
        ProcessFeature(process=process, feature=key, settings=registry[key].clean_settings(values))
        for key, values in spec.features.items()
    )
    phases = Phase.objects.bulk_create(
        Phase(
            process=process,
            name=name,
            language=language,
            translations={"en": {"name": english}},
            starts_at=_at(start),
            ends_at=_at(end),
            announced_at=_at(start) if _at(start) <= timezone.now() else None,  # the demo's past is told already
        )
        for name, english, start, end, _ in spec.phases
    )
    capabilities = []
    for phase, (*_, granted) in zip(phases, spec.phases, strict=True):
        for name, audience in granted.items():
            feature, action = name.split(".")
            registry[feature].action(action)  # refuses an action the feature does not declare
            capabilities.append(PhaseCapability(phase=phase, feature=feature, action=action, audience=audience))
    PhaseCapability.objects.bulk_create(capabilities)
    categories = Category.objects.bulk_create(
        Category(process=process, name=name, position=position, language=language, translations={"en": {"name": en}})
        for position, (name, en) in enumerate(spec.categories)
    )
    return process, categories


def discussion(
    rng: random.Random,
    count: int,
    people: list,
    pool: Pool,
    since: datetime.datetime,
    until: datetime.datetime,
    *,
    author=None,
    officer=None,
    official: int = 0,
    against: bool = True,
) -> list[CommentDraft]:
    """`count` comments between `since` and `until`, about a third of them replies (two levels), each reply fitting
    what it answers; `official` of them answers of the officer; the `author` thanks those who agree. Without
    `against`, nobody takes a stance against (a reported problem)."""
    moments = sorted(_between(rng, since, until) for _ in range(count))
    official_at = set(rng.sample(range(count // 2, count), min(official, count - count // 2))) if officer else set()
    unused = {kind: list(texts) for kind, texts in vars(pool).items() if isinstance(texts, tuple)}

    def say(kind: str) -> str:
        if not unused[kind]:
            unused[kind] = list(getattr(pool, kind))
        return unused[kind].pop(rng.randrange(len(unused[kind])))

    answered_by = {"agree": "replies", "disagree": "replies", "questions": "answers", "official": "acknowledge"}
    threads: list[CommentDraft] = []
    kinds: dict[int, str] = {}  # id of a top-level comment: what kind of text it is
    for index, moment in enumerate(moments):
        reply_to = rng.choice(threads) if threads and rng.random() < 0.3 else None
        parent_kind = kinds.get(id(reply_to), "")
        if index in official_at:
            reply_to = reply_to if parent_kind == "questions" else None  # the municipality answers questions in place
            comment, kind = CommentDraft(officer, say("official"), moment, official=True), "official"
        elif reply_to is not None and parent_kind == "agree" and author is not None and rng.random() < 0.4:
            comment, kind = CommentDraft(author, say("thanks"), moment), "thanks"
        elif reply_to is not None and parent_kind in answered_by:
            kind = answered_by[parent_kind]
            comment = CommentDraft(rng.choice(people), say(kind), moment)
        else:
            reply_to = None
            stances = (Stance.FOR, Stance.AGAINST, Stance.NEUTRAL, Stance.NEUTRAL, "", "")
            stance = rng.choices(stances, (40, 15 if against else 0, 8, 7, 15, 15))[0]
            kind = {Stance.FOR: "agree", Stance.AGAINST: "disagree"}.get(stance) or rng.choice(("questions", "remarks"))
            comment = CommentDraft(rng.choice(people), say(kind), moment, stance=stance)
        if reply_to is None:
            threads.append(comment)
            kinds[id(comment)] = kind
        else:
            reply_to.replies.append(comment)
    return threads


def _moments(rng: random.Random, states, start, end, pinned: dict | None = None) -> list[datetime.datetime]:
    """A moment for each state, in order, after `start` and before `end`; `pinned` fixes some states' moments."""
    pinned = pinned or {}
    moments, previous = [], start
    for index, state in enumerate(states):
        if state in pinned:
            moment = max(pinned[state], previous + datetime.timedelta(minutes=5))
        else:
            bound = min([end, *(pinned[later] for later in states[index + 1 :] if later in pinned)])
            moment = previous + (max(bound, previous) - previous) * rng.uniform(0.1, 0.5)
        moments.append(moment)
        previous = moment
    return moments


def _history(draft: Draft, states, moments, pool: Pool, officer, rng, *, answer: str = "", automatic=False) -> None:
    """The proposal's state changes at `moments`, its final state and the municipality's answer. With `automatic`,
    the move to evaluation was made by the supports, not by the officer."""
    proposal = draft.proposal
    old = ProposalState.SUBMITTED
    for state, moment in zip(states, moments, strict=True):
        machine = automatic and state == EVALUATION and old == ProposalState.SUBMITTED
        if state in (ACCEPTED, REJECTED):
            proposal.answer = answer or rng.choice(pool.accepted if state == ACCEPTED else pool.rejected)
            proposal.answered_at = moment
            reason = proposal.answer
        else:
            reason = {EVALUATION: pool.automatic if machine else pool.evaluation, IN_PROGRESS: pool.progress}.get(
                state, pool.done
            )
        draft.history.append(
            StateChange(
                proposal=proposal,
                old_state=old,
                new_state=state,
                reason=reason,
                changed_by=None if machine else officer,
                automatic=machine,
                changed_at=moment,
            )
        )
        old = state
    proposal.state = old


def _supports_for(rng: random.Random) -> int:
    """A long tail: most proposals get a few supports, some dozens, a few more than a hundred."""
    roll = rng.random()
    if roll < 0.07:
        return rng.randint(50, 140)
    if roll < 0.25:
        return rng.randint(15, 49)
    return rng.randint(1, 14) if roll < 0.85 else 0


def _states_for(rng: random.Random, supports: int, threshold: int | None) -> tuple:
    if threshold and supports >= threshold:
        return rng.choices(
            ((EVALUATION,), (EVALUATION, ACCEPTED), (EVALUATION, ACCEPTED, IN_PROGRESS),
             (EVALUATION, ACCEPTED, IN_PROGRESS, DONE), (EVALUATION, REJECTED)),
            (40, 25, 10, 10, 15),
        )[0]  # fmt: skip
    return rng.choices(
        ((), (EVALUATION,), (ACCEPTED,), (ACCEPTED, IN_PROGRESS), (ACCEPTED, IN_PROGRESS, DONE), (REJECTED,)),
        (70, 10, 8, 3, 4, 5),
    )[0]


def city_drafts(
    process: Process,
    categories: list[Category],
    town: Town,
    count: int,
    rng: random.Random,
    *,
    since: datetime.datetime,
    threshold: int | None = None,
    authors: list | None = None,
) -> list[Draft]:
    """`count` problems and proposals of Mostar's residents: a topic at a place, supports with a long tail (past the
    `threshold` a proposal is under evaluation or answered), discussions, answers, state histories. Beyond the
    distinct topic-place pairs (about 300), pairs repeat."""
    pairs = [
        (topic, place)
        for topic in MOSTAR_TOPICS
        for place in MOSTAR_PLACES
        if set(topic[0].split()) & set(place[3].split())
    ]
    rng.shuffle(pairs)
    pairs = pairs[:count] + [rng.choice(pairs) for _ in range(count - len(pairs))]
    now = timezone.now()
    pool = POOLS["bs"]
    authors = authors or town.residents
    endorsers = [(town.members[name], wanted) for name, wanted in MOSTAR_ENDORSERS if name in town.members]
    drafts = []
    for (_, kind, category, title, body), (community, address, where, _, latitude, longitude) in pairs:
        extra = rng.choice(EXTRAS[kind])
        organisation, author = None, rng.choice(authors)
        if rng.random() < 0.05 and town.members:
            organisation, author = rng.choice(list(town.members.values()))
        located = rng.random() < 0.6
        created = _between(rng, since, now - datetime.timedelta(hours=2))
        proposal = Proposal(
            process=process,
            kind=kind,
            title=title.format(where=where),
            body=f"{body.format(where=where)} {extra}".strip(),
            category=categories[category],
            community=town.communities[community],
            address=address if rng.random() < 0.8 else "",
            latitude=Decimal(f"{latitude + rng.uniform(-0.0015, 0.0015):.6f}") if located else None,
            longitude=Decimal(f"{longitude + rng.uniform(-0.0015, 0.0015):.6f}") if located else None,
            author=author,
            organisation=organisation,
        )
        draft = Draft(proposal=proposal, created_at=created)
        supports = _supports_for(rng)
        others = [person for person in town.residents if person is not author]
        draft.supporters = rng.sample(others, min(supports, len(others)))
        states = _states_for(rng, len(draft.supporters), threshold)
        by_supports = threshold is not None and len(draft.supporters) >= threshold
        answer = REJECTED_BECAUSE.get(category, "") if REJECTED in states else ""
        moments = _moments(rng, states, created, now)
        _history(draft, states, moments, pool, town.officer, rng, answer=answer, automatic=by_supports)
        talk = min(18, rng.randint(0, 3) + len(draft.supporters) // 8)
        official = 1 if rng.random() < (0.5 if states else 0.08) else 0
        draft.comments = discussion(
            rng, talk + official, others, pool, created, now,
            author=author, officer=town.officer, official=official, against=kind == PROPOSAL,
        )  # fmt: skip
        for (organisation, member), wanted in endorsers:
            if category in wanted and rng.random() < 0.12 and organisation != proposal.organisation:
                draft.endorsements.append((organisation, member))
        drafts.append(draft)
    return drafts


def _pick_supporters(rng: random.Random, people: list, count: int, used: Counter, limit: int | None) -> list:
    """`count` distinct people who have not yet used up the process's limit of supports."""
    free = [person for person in people if limit is None or used[person.pk] < limit]
    chosen = rng.sample(free, min(count, len(free)))
    used.update(person.pk for person in chosen)
    return chosen


def _person(key: str, town: Town, accounts: dict, rng: random.Random):
    """Who wrote a hand-written comment: "officer", a demo account, "@<CSO short name>" or any resident."""
    if key == "officer":
        return town.officer
    if key.startswith("@"):
        return town.members[key[1:]][1]
    return accounts.get(key) or rng.choice(town.residents)


def idea_drafts(
    spec: ProcessSpec,
    process: Process,
    categories: list[Category],
    town: Town,
    accounts: dict,
    rng: random.Random,
) -> list[Draft]:
    """The hand-written proposals of `spec`, submitted in its first phase, with supports, discussion and history."""
    pool = POOLS[spec.language]
    first_start, first_end = _at(spec.phases[0][2]), _at(spec.phases[0][3])
    now = timezone.now()
    last = min(now, _at(spec.phases[-1][3]))
    limit = access.feature_settings(process, "supports")["limit"] if access.enabled(process, "supports") else None
    used = Counter()
    drafts = []
    for idea in spec.ideas:
        organisation, author = (
            town.members[idea.organisation] if idea.organisation else (None, rng.choice(town.residents))
        )
        pinned = {}
        for days, _, status, _ in sorted(idea.result.updates if idea.result else ()):
            pinned.setdefault(
                {ResultStatus.IN_PROGRESS: IN_PROGRESS, ResultStatus.DONE: DONE}.get(status), _at(days, 10)
            )
        pinned.pop(None, None)
        decide_by = min([last, *pinned.values(), *([_at(spec.decided)] if spec.decided is not None else [])])
        created = _between(rng, first_start, min(first_end, decide_by - datetime.timedelta(days=3), now))
        proposal = Proposal(
            process=process,
            kind=idea.kind,
            title=idea.title,
            body=idea.body,
            category=categories[idea.category] if categories else None,
            community=town.communities.get(idea.community),
            author=author,
            organisation=organisation,
        )
        draft = Draft(proposal=proposal, created_at=created, result=idea.result)
        others = [person for person in town.residents if person is not author]
        draft.supporters = _pick_supporters(rng, others, idea.supports, used, limit)
        evaluated = max(created, _at(spec.evaluated)) if spec.evaluated is not None else created
        moments = _moments(rng, idea.states, evaluated, decide_by, pinned)
        _history(draft, idea.states, moments, pool, town.officer, rng, answer=idea.answer)
        if isinstance(idea.comments, int):
            official = 1 if idea.states and idea.comments > 1 else 0
            draft.comments = discussion(
                rng, idea.comments, others, pool, created, last,
                author=author, officer=town.officer, official=official, against=idea.kind == PROPOSAL,
            )  # fmt: skip
        else:
            moments = iter(sorted(_between(rng, created, last) for _ in range(20)))
            for key, stance, text, replies in idea.comments:
                writer = _person(key, town, accounts, rng)
                comment = CommentDraft(writer, text, next(moments), stance=stance, official=key == "officer")
                for reply_key, reply in replies:
                    replier = _person(reply_key, town, accounts, rng)
                    comment.replies.append(CommentDraft(replier, reply, next(moments), official=reply_key == "officer"))
                draft.comments.append(comment)
        draft.endorsements = [town.members[name] for name in idea.endorsed_by]
        drafts.append(draft)
    if limit:
        SupportAllowance.objects.bulk_create(
            SupportAllowance(process=process, user_id=user_id, used=number) for user_id, number in used.items()
        )
    return drafts


def _bulk_create_dated(model, objects: list, fields: tuple[str, ...]) -> list:
    """bulk_create, then put back the dates we chose for `fields` (bulk_create replaces auto_now(_add) ones)."""
    dates = [[getattr(obj, name) for name in fields] for obj in objects]
    model.objects.bulk_create(objects, batch_size=1000)
    for obj, values in zip(objects, dates, strict=True):
        for name, value in zip(fields, values, strict=True):
            setattr(obj, name, value)
    model.objects.bulk_update(objects, list(fields), batch_size=500)
    return objects


def save_comments(threads_by_target: list[tuple[object, Process, list[CommentDraft]]], rng: random.Random) -> int:
    """Top-level comments in one insert, then their replies in another; a few carry an edit mark. Returns how many
    were written."""

    def comment(content_type, target, process, draft: CommentDraft, parent=None) -> Comment:
        edited = draft.at + datetime.timedelta(minutes=rng.randint(3, 90)) if rng.random() < 0.05 else None
        return Comment(
            content_type=content_type,
            object_id=target.pk,
            process=process,
            parent=parent,
            author=draft.author,
            body=draft.body,
            stance=draft.stance,
            official=draft.official,
            created_at=draft.at,
            edited_at=edited,
        )

    tops, replies = [], []
    for target, process, threads in threads_by_target:
        content_type = ContentType.objects.get_for_model(target)
        for thread in threads:
            top = comment(content_type, target, process, thread)
            tops.append(top)
            replies.extend(comment(content_type, target, process, reply, parent=top) for reply in thread.replies)
    _bulk_create_dated(Comment, tops, ("created_at",))
    _bulk_create_dated(Comment, replies, ("created_at",))
    return len(tops) + len(replies)


def save(drafts: list[Draft], rng: random.Random) -> dict[str, int]:
    """Proposals with their supports, comments, endorsements and histories, in a few bulk inserts; each proposal's
    counters are the number of rows written for it."""
    now = timezone.now()
    for draft in drafts:
        proposal = draft.proposal
        proposal.support_count = len(draft.supporters)
        proposal.comment_count = sum(1 + len(thread.replies) for thread in draft.comments)
        proposal.search_text = search_key(f"{proposal.title} {proposal.body}")
        proposal.created_at = draft.created_at
        latest = [draft.created_at, *(change.changed_at for change in draft.history)]
        proposal.updated_at = min(now, max(latest))
    proposals = _bulk_create_dated(Proposal, [d.proposal for d in drafts], ("created_at", "updated_at"))
    Support.objects.bulk_create(
        (Support(proposal=d.proposal, user=user) for d in drafts for user in d.supporters), batch_size=2000
    )
    _bulk_create_dated(StateChange, [change for d in drafts for change in d.history], ("changed_at",))
    Endorsement.objects.bulk_create(
        Endorsement(proposal=d.proposal, organisation=organisation, endorsed_by=member)
        for d in drafts
        for organisation, member in d.endorsements
    )
    comments = save_comments([(d.proposal, d.proposal.process, d.comments) for d in drafts], rng)
    return {"proposals": len(proposals), "supports": sum(len(d.supporters) for d in drafts), "comments": comments}


def _weighted_sample(rng: random.Random, options: list, weights: list, count: int) -> list:
    chosen, options, weights = [], list(options), list(weights)
    for _ in range(min(count, len(options))):
        index = rng.choices(range(len(options)), weights)[0]
        chosen.append(options.pop(index))
        weights.pop(index)
    return chosen


def create_poll(spec: PollSpec, process: Process, rng: random.Random) -> int:
    """The poll, its questions and choices, and ballots from each source with their votes; returns the ballots."""
    language = process.language
    poll = Poll.objects.create(
        process=process,
        title=spec.title,
        description=spec.description,
        language=language,
        translations={"en": {"title": spec.english}} if spec.english else {},
        opens_at=_at(spec.opens, 8),
        closes_at=_at(spec.closes, 23),
    )
    questions = Question.objects.bulk_create(
        Question(
            poll=poll,
            kind=kind,
            text=text,
            max_choices=most,
            required=kind != "text",
            position=position,
            language=language,
        )
        for position, (kind, text, most, _) in enumerate(spec.questions)
    )
    choices = Choice.objects.bulk_create(
        Choice(question=question, text=text, position=position, language=language)
        for question, (*_, options) in zip(questions, spec.questions, strict=True)
        for position, (text, _) in enumerate(options)
    )
    by_question = {question.pk: [c for c in choices if c.question_id == question.pk] for question in questions}
    first, today = timezone.localdate() + datetime.timedelta(days=spec.opens), timezone.localdate()
    days = max(1, (min(today, first + datetime.timedelta(days=spec.closes - spec.opens)) - first).days)
    paper_days = sorted({first + datetime.timedelta(days=rng.randrange(days)) for _ in range(3)})
    ballots = []
    for source, count in spec.ballots.items():
        for _ in range(count):
            on = rng.choice(paper_days) if source == Source.PAPER else first + datetime.timedelta(rng.randrange(days))
            flagged = source == Source.BENCH and rng.random() < 0.02
            ballots.append(
                Ballot(poll=poll, voter_key=f"{rng.getrandbits(256):064x}", source=source, cast_on=on, flagged=flagged)
            )
    Ballot.objects.bulk_create(ballots)
    votes, answers = [], []
    for ballot in ballots:
        for question, (kind, _, most, options) in zip(questions, spec.questions, strict=True):
            if kind == "text":
                if ballot.source != Source.BENCH and spec.answers and rng.random() < 0.3:
                    answers.append(TextAnswer(ballot=ballot, question=question, text=rng.choice(spec.answers)))
                continue
            weights = [weight for _, weight in options]
            count = (
                1
                if kind == "single"
                else rng.randint(1, most or len(options))
                if kind == "multiple"
                else most or len(options)
            )
            picked = _weighted_sample(rng, by_question[question.pk], weights, count)
            votes.extend(
                Vote(ballot=ballot, poll=poll, question=question, choice=choice, source=ballot.source,
                     rank=rank if kind == "ranking" else None)
                for rank, choice in enumerate(picked, start=1)
            )  # fmt: skip
    Vote.objects.bulk_create(votes, batch_size=2000)
    TextAnswer.objects.bulk_create(answers)
    Poll.objects.filter(pk=poll.pk).update(ballot_count=len(ballots))
    return len(ballots)


def create_meeting(spec: MeetingSpec, process: Process, people: list, rng: random.Random) -> tuple[Meeting, list]:
    """The meeting with its registrations (counted in `registered_count`) and the comments on it, not yet saved."""
    starts = _at(spec.starts, spec.hour)
    meeting = Meeting.objects.create(
        process=process,
        title=spec.title,
        description=spec.description,
        language=process.language,
        translations={"en": {"title": spec.english}} if spec.english else {},
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=spec.hours),
        place=spec.place,
        address=spec.address,
        online_url=spec.online_url,
        agenda=spec.agenda,
        capacity=spec.capacity,
        registration_open=starts > timezone.now(),
        registered_count=min(spec.registrations, len(people)),
        attendance=spec.attendance,
        minutes=spec.minutes,
    )
    Registration.objects.bulk_create(
        Registration(meeting=meeting, user=person) for person in rng.sample(people, meeting.registered_count)
    )
    since = _at(-3) if starts > timezone.now() else starts
    threads = discussion(rng, spec.comments, people, POOLS[process.language], since, timezone.now())
    return meeting, threads


def create_results(process: Process, drafts: list[Draft], promises: tuple[ResultSpec, ...], officer) -> int:
    """Results of accepted proposals and the process's other promises, with their dated updates."""
    pairs = [(d.result, d.proposal) for d in drafts if d.result] + [(promise, None) for promise in promises]
    results = Result.objects.bulk_create(
        Result(
            process=process,
            proposal=proposal,
            title=spec.title,
            description=spec.description,
            language=process.language,
            translations={"en": {"title": spec.english}} if spec.english else {},
            status=spec.status,
            progress=spec.progress,
            budget=Decimal(spec.budget) if spec.budget is not None else None,
            starts_on=timezone.localdate() + datetime.timedelta(days=spec.starts) if spec.starts is not None else None,
            ends_on=timezone.localdate() + datetime.timedelta(days=spec.ends) if spec.ends is not None else None,
        )
        for spec, proposal in pairs
    )
    ResultUpdate.objects.bulk_create(
        ResultUpdate(
            result=result,
            date=timezone.localdate() + datetime.timedelta(days=days),
            progress=progress,
            status=status,
            text=text,
            author=officer,
        )
        for result, (spec, _) in zip(results, pairs, strict=True)
        for days, progress, status, text in spec.updates
    )
    return len(results)


@transaction.atomic
def load() -> str:
    if Process.objects.filter(slug=MOSTAR.slug).exists():
        return "participation: demo processes already present"
    rng = random.Random(SEED)
    accounts = _demo_accounts()
    towns = _towns(rng, accounts)
    drafts, comments_elsewhere, after = [], [], []
    ballots = results = 0
    for spec in PROCESSES:
        town = towns[spec.municipality]
        process, categories = create_process(spec, town, rng)
        if spec.generated:
            citizen = accounts.get("citizen")
            authors = town.residents + ([citizen] * 3 if citizen else [])
            threshold = access.feature_settings(process, "supports")["threshold"]
            since = _at(spec.phases[1][2], 8)
            process_drafts = city_drafts(
                process, categories, town, spec.generated, rng, since=since, threshold=threshold, authors=authors
            )
        else:
            process_drafts = idea_drafts(spec, process, categories, town, accounts, rng)
        drafts.extend(process_drafts)
        after.append((process, process_drafts, spec, town))
        ballots += sum(create_poll(poll, process, rng) for poll in spec.polls)
        for meeting_spec in spec.meetings:
            cso = spec.phases[0][4].get("meetings.attend") == CSO
            people = [member for _, member in town.members.values()] if cso else town.residents
            meeting, threads = create_meeting(meeting_spec, process, people, rng)
            comments_elsewhere.append((meeting, process, threads))
    counts = save(drafts, rng)
    counts["comments"] += save_comments(comments_elsewhere, rng)
    for process, process_drafts, spec, town in after:
        results += create_results(process, process_drafts, spec.results, town.officer)
    expire_pages()
    return (
        f"participation: {len(PROCESSES)} processes in {len({spec.municipality for spec in PROCESSES})} municipalities, "
        f"{counts['proposals']} proposals, {counts['comments']} comments, {counts['supports']} supports, "
        f"{ballots} ballots, {results} results"
    )
