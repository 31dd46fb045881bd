"""Text of the demo home page and free pages, per language. Staff replace it in the back office."""

# page key -> language -> {"title", "intro", "body" (HTML)}
PAGES = {
    "home": {
        "bs": {
            "title": "Lokalna demokratija, zajedno",
            "intro": "CivicLink povezuje općine, organizacije civilnog društva i građane: mjerimo kvalitet "
            "lokalne uprave, zajedno rješavamo probleme zajednice i pratimo šta je obećano i urađeno.",
            "body": "<p>Platforma nastavlja rad programa LINK 4 Cooperation, u kojem je dvanaest općina i "
            "četrdesetak udruženja gradilo dobro upravljanje i učešće građana.</p>",
        },
        "en": {
            "title": "Local democracy, together",
            "intro": "CivicLink brings municipalities, civil-society organisations and citizens together: we "
            "measure the quality of local government, solve community problems together and follow what was "
            "promised and what was done.",
            "body": "<p>The platform carries on the work of the LINK 4 Cooperation programme, in which twelve "
            "municipalities and some forty associations built good governance and citizen participation.</p>",
        },
    },
    "about": {
        "bs": {
            "title": "O platformi",
            "intro": "CivicLink je otvorena platforma za lokalnu demokratiju.",
            "body": "<p>Općine na njoj provode samoprocjenu prema dvanaest principa dobrog demokratskog "
            "upravljanja, građani i udruženja predlažu i podržavaju rješenja za svoje mjesne zajednice, a "
            "pametne klupe donose ankete na ulicu.</p><p>Izvorni kod je otvoren i svaka općina ga može koristiti.</p>",
        },
        "en": {
            "title": "About",
            "intro": "CivicLink is an open platform for local democracy.",
            "body": "<p>Municipalities use it to assess themselves against the twelve principles of good "
            "democratic governance, citizens and associations propose and support solutions for their local "
            "communities, and smart benches bring surveys to the street.</p><p>The source code is open, and any "
            "municipality may use it.</p>",
        },
    },
    "privacy": {
        "bs": {
            "title": "Privatnost",
            "intro": "Prikupljamo samo ono što je potrebno da platforma radi.",
            "body": "<p>Za račun čuvamo vaše ime i adresu e-pošte. Ankete za građane su anonimne i ne "
            "povezuju se s vama. Svoje podatke možete u svakom trenutku preuzeti ili izbrisati račun na "
            "stranici svog računa.</p>",
        },
        "en": {
            "title": "Privacy",
            "intro": "We collect only what the platform needs to work.",
            "body": "<p>For an account we keep your name and e-mail address. Citizen surveys are anonymous and "
            "are not linked to you. You can download your data or delete your account at any time from your "
            "account page.</p>",
        },
    },
    "terms": {
        "bs": {
            "title": "Uslovi korištenja",
            "intro": "Pravila koja vrijede za sve korisnike.",
            "body": "<p>Pišite s poštovanjem prema drugima. Sadržaj koji vrijeđa, širi mržnju ili je "
            "reklama moderatori uklanjaju. Objavljeni prijedlozi i komentari su javni.</p>",
        },
        "en": {
            "title": "Terms of use",
            "intro": "The rules that apply to every user.",
            "body": "<p>Write with respect for others. Moderators remove content that insults, spreads hatred "
            "or advertises. Published proposals and comments are public.</p>",
        },
    },
    "accessibility": {
        "bs": {
            "title": "Izjava o pristupačnosti",
            "intro": "Želimo da platformu može koristiti svako.",
            "body": "<p>Stranice slijede smjernice WCAG 2.1 na nivou AA, rade s tastaturom i čitačima "
            "ekrana, a osnovne radnje rade i bez JavaScripta. Ako naiđete na prepreku, javite nam se.</p>",
        },
        "en": {
            "title": "Accessibility statement",
            "intro": "We want everyone to be able to use the platform.",
            "body": "<p>The pages follow WCAG 2.1 at level AA, work with a keyboard and screen readers, and the "
            "core actions work without JavaScript. If you meet a barrier, please tell us.</p>",
        },
    },
}
