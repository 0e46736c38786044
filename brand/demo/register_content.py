"""The demo country's work programme: regions, prisons, workshops, partners and the people whose
stories the brand site tells.

Everything here is fictional. Dates are fixed relative to ``DEMO_TODAY`` so that every run of the
demo, and every test, builds the same register. Workshops' public names never name a prison.
"""

import datetime
from decimal import Decimal

DEMO_TODAY = datetime.date(2026, 11, 2)
REGISTER_SEED = "qantara-register"  # seeds the generator of workers' references and names

# (slug, name)
REGIONS = [
    ("northern-coast", "Northern Coast"),
    ("central-plateau", "Central Plateau"),
    ("southern-oases", "Southern Oases"),
]

# (slug, name, region slug, population, code used in demo prison numbers)
PRISONS = [
    ("ain-zahra", "Ain Zahra Women's Prison", "northern-coast", "women", "AZ"),
    ("jebel-qantar", "Jebel Qantar Prison", "central-plateau", "men", "JQ"),
    ("wadi-sahel", "Wadi Sahel Prison", "southern-oases", "mixed", "WS"),
]

# (slug, internal name, public name, prison slug, trade slug, kind, makes products)
WORKSHOPS = [
    (
        "ain-zahra-bakery",
        "Ain Zahra bakery",
        "Northern bakery",
        "ain-zahra",
        "bakery",
        "administration",
        True,
    ),
    (
        "ain-zahra-glasshouses",
        "Ain Zahra glasshouses",
        "Coastal glasshouses",
        "ain-zahra",
        "hydroponics",
        "administration",
        True,
    ),
    (
        "ain-zahra-metalworks",
        "Ain Zahra metalworks",
        "Northern metalworks",
        "ain-zahra",
        "welding",
        "administration",
        True,
    ),
    (
        "jebel-qantar-tailoring",
        "Jebel Qantar tailoring (Atlas Textiles)",
        "Plateau tailoring",
        "jebel-qantar",
        "tailoring",
        "partner",
        True,
    ),
    (
        "jebel-qantar-print-shop",
        "Jebel Qantar print shop",
        "Plateau print shop",
        "jebel-qantar",
        "printing",
        "administration",
        True,
    ),
    (
        "jebel-qantar-upholstery",
        "Jebel Qantar upholstery (Quickfix Assembly)",
        "Plateau upholstery",
        "jebel-qantar",
        "upholstery",
        "partner",
        True,
    ),
    (
        "wadi-sahel-soap",
        "Wadi Sahel soap works",
        "Oasis soap works",
        "wadi-sahel",
        "soap-making",
        "administration",
        True,
    ),
    (
        "wadi-sahel-joinery",
        "Wadi Sahel joinery",
        "Southern joinery",
        "wadi-sahel",
        "carpentry",
        "administration",
        True,
    ),
    (
        "wadi-sahel-building-crew",
        "Wadi Sahel building crew",
        "Southern building crew",
        "wadi-sahel",
        "construction",
        "administration",
        False,
    ),
    (
        "quickfix-assembly-placement",
        "Quickfix Assembly placement (from Wadi Sahel)",
        "Southern furniture assembly",
        "wadi-sahel",
        "carpentry",
        "placement",
        False,
    ),
]

# The demo login "supervisor" supervises these; staff who are not demo logins supervise the rest.
DEMO_SUPERVISOR = "supervisor"
DEMO_SUPERVISOR_WORKSHOPS = ["jebel-qantar-tailoring", "jebel-qantar-print-shop"]
# (username, full name, prison slug whose other workshops they supervise)
PRISON_STAFF = [
    ("m.bensaid", "Malika Bensaid", "ain-zahra"),
    ("r.amari", "Rachid Amari", "jebel-qantar"),
    ("f.zerhouni", "Fatima Zerhouni", "wadi-sahel"),
]
SUPERVISION_START = datetime.date(2025, 1, 1)

# (slug, name, legal name, registration, address, sector, contact, e-mail, telephone)
PARTNERS = [
    (
        "atlas-textiles",
        "Atlas Textiles",
        "Atlas Textiles SARL",
        "QA-RC-2011-04417",
        "Zone industrielle Sud, lot 12\nQantara City 10400",
        "Textiles and workwear",
        "Nour El Hadi",
        "contact@atlas-textiles.example",
        "+000 21 555 0171",
    ),
    (
        "quickfix-assembly",
        "Quickfix Assembly",
        "Quickfix Assembly Ltd",
        "QA-RC-2019-11802",
        "Route de l'Oasis km 4\nSahel 30210",
        "Furniture assembly and refurbishment",
        "Bruno Castel",
        "office@quickfix-assembly.example",
        "+000 38 555 0196",
    ),
]

# Rates in EUR; None where the contract does not pay that way.
CONTRACTS = [
    {
        "reference": "ATL-2025-01",
        "partner": "atlas-textiles",
        "workshop": "jebel-qantar-tailoring",
        "hourly_rate": Decimal("5.80"),
        "piece_rate": Decimal("0.3500"),
        "agreed_hours_per_week": Decimal("35"),
        "labour_charge_per_hour": Decimal("9.50"),
        "awarded_on": datetime.date(2025, 1, 10),
        "start": datetime.date(2025, 2, 1),
    },
    {
        "reference": "QFX-2025-01",
        "partner": "quickfix-assembly",
        "workshop": "jebel-qantar-upholstery",
        "hourly_rate": None,
        "piece_rate": Decimal("1.2000"),
        "agreed_hours_per_week": Decimal("40"),
        "labour_charge_per_hour": Decimal("3.10"),
        "awarded_on": datetime.date(2025, 3, 1),
        "start": datetime.date(2025, 3, 15),
    },
    {
        "reference": "QFX-2025-02",
        "partner": "quickfix-assembly",
        "workshop": "quickfix-assembly-placement",
        "hourly_rate": Decimal("3.90"),
        "piece_rate": None,
        "agreed_hours_per_week": Decimal("40"),
        "labour_charge_per_hour": Decimal("4.50"),
        "awarded_on": datetime.date(2025, 5, 20),
        "start": datetime.date(2025, 6, 1),
    },
]

# What each partner's workers agree may be deducted from their wages. Atlas's form names every
# category the pay policy applies (``brand.demo.pay.ALLOCATIONS``); Quickfix's leaves out the
# family share and the victims' fund, which are deducted all the same (CONSENT_BEFORE_WORK,
# DEDUCTIONS_CAP).
PARTNER_DEDUCTIONS = {
    "atlas-textiles": ("own-spending", "family", "release-savings", "victims-fund", "board"),
    "quickfix-assembly": ("own-spending", "release-savings", "board"),
}

# (code, name, description, credited to the worker's own account)
DEDUCTION_CATEGORIES = [
    (
        "own-spending",
        "Own spending",
        "Money the worker spends in the prison shop or by order.",
        True,
    ),
    ("family", "Family support", "Sent to a family member the worker names.", True),
    (
        "release-savings",
        "Release savings",
        "Saved for the day of release and paid out then.",
        True,
    ),
    ("victims-fund", "Victims' fund", "Paid to the national fund for victims of crime.", False),
    (
        "board",
        "Board and lodging",
        "A contribution to the cost of board, where the law allows it.",
        False,
    ),
]

# What a worker's balance in a category is for (``DeductionCategory.use``).
CATEGORY_USES = {
    "family": "family",
    "release-savings": "release_savings",
    "victims-fund": "victims_fund",
}

WORKING_TIME_POLICY = {
    "effective_from": datetime.date(2025, 1, 1),
    "max_hours_per_day": Decimal("8"),
    "max_hours_per_week": Decimal("40"),
    "rest_days_per_week": 1,
    "fitness_clearance_required": True,
    "consent_notice_days": 7,
}

# (code, name, unit, workshop slug)
SKUS = [
    ("BRD-001", "Country loaf, 800 g", "piece", "ain-zahra-bakery"),
    ("BRD-002", "Semolina flatbread", "piece", "ain-zahra-bakery"),
    ("BRD-003", "Almond biscuits", "kg", "ain-zahra-bakery"),
    ("HYD-001", "Sweet basil, bunch", "piece", "ain-zahra-glasshouses"),
    ("HYD-002", "Spearmint, bunch", "piece", "ain-zahra-glasshouses"),
    ("HYD-003", "Butterhead lettuce", "piece", "ain-zahra-glasshouses"),
    ("HYD-004", "Mixed salad leaves", "kg", "ain-zahra-glasshouses"),
    ("MET-001", "Garden gate, 1 m", "piece", "ain-zahra-metalworks"),
    ("MET-002", "Balcony railing, 2 m section", "piece", "ain-zahra-metalworks"),
    ("MET-003", "Bistro table and two chairs", "set", "ain-zahra-metalworks"),
    ("TAI-001", "School uniform, shirt and trousers", "set", "jebel-qantar-tailoring"),
    ("TAI-002", "Work jacket", "piece", "jebel-qantar-tailoring"),
    ("TAI-003", "Table linen, cloth and six napkins", "set", "jebel-qantar-tailoring"),
    ("PRT-001", "Exercise book, A4, 96 pages", "piece", "jebel-qantar-print-shop"),
    ("PRT-002", "Wall calendar", "piece", "jebel-qantar-print-shop"),
    ("PRT-003", "Greeting cards, pack of 10", "set", "jebel-qantar-print-shop"),
    ("UPH-001", "Café chair, re-upholstered", "piece", "jebel-qantar-upholstery"),
    ("UPH-002", "Bench cushion, two seats", "piece", "jebel-qantar-upholstery"),
    ("SOP-001", "Olive-oil soap bar, 120 g", "piece", "wadi-sahel-soap"),
    ("SOP-002", "Laurel soap bar, 150 g", "piece", "wadi-sahel-soap"),
    ("SOP-003", "Unscented soap flakes", "kg", "wadi-sahel-soap"),
    ("JOI-001", "Classroom chair", "piece", "wadi-sahel-joinery"),
    ("JOI-002", "Oak dining table", "piece", "wadi-sahel-joinery"),
    ("JOI-003", "Bookshelf, five shelves", "piece", "wadi-sahel-joinery"),
    ("JOI-004", "Window shutters", "pair", "wadi-sahel-joinery"),
]

# Workers are numbered within their first workshop (0, 1, 2…); a mixed prison's even numbers are
# women. The story tellers are number 0 of the workshop of their story's trade.
# teller's chosen name → (workshop slug, legal name, sex, assigned from)
STORY_TELLERS = {
    "Samira": ("ain-zahra-bakery", "Samira Tazi", "female", datetime.date(2025, 3, 10)),
    "Youssef": ("jebel-qantar-upholstery", "Youssef Karimi", "male", datetime.date(2025, 6, 16)),
    "Nadia": ("ain-zahra-glasshouses", "Nadia Belkacem", "female", datetime.date(2025, 5, 5)),
    "Karim": ("jebel-qantar-tailoring", "Karim Haddad", "male", datetime.date(2025, 4, 7)),
    "Omar B.": ("jebel-qantar-print-shop", "Omar Benali", "male", datetime.date(2025, 2, 3)),
    "Leila": ("wadi-sahel-soap", "Leila Mansouri", "female", datetime.date(2025, 1, 13)),
}
STORY_CONSENT_DAYS_BEFORE = 21  # each story consent is signed three weeks before the story
# Nadia also trains in the welding workshop (her story says so).
SECOND_ASSIGNMENTS = [("Nadia", "ain-zahra-metalworks", datetime.date(2026, 3, 2))]

# (first workshop, number, prison moved to, workshop there, days before DEMO_TODAY)
TRANSFERS = [
    ("jebel-qantar-print-shop", 5, "wadi-sahel", "wadi-sahel-joinery", 45),
    ("ain-zahra-bakery", 6, "wadi-sahel", "wadi-sahel-building-crew", 60),
    ("wadi-sahel-soap", 1, "jebel-qantar", "jebel-qantar-upholstery", 30),
]
# (first workshop, number, days before DEMO_TODAY)
RELEASES = [
    ("jebel-qantar-tailoring", 8, 50),
    ("ain-zahra-glasshouses", 9, 35),
    ("wadi-sahel-joinery", 10, 15),
]
# Workers with no fitness clearance on file (the compliance rules report them).
WITHOUT_CLEARANCE = [
    ("jebel-qantar-upholstery", 3),
    ("wadi-sahel-joinery", 7),
    ("ain-zahra-bakery", 11),
]
# The work consent recorded without its signed document, and the one withdrawn (days before).
CONSENT_WITHOUT_DOCUMENT = ("quickfix-assembly-placement", 4)
CONSENT_WITHDRAWN = ("jebel-qantar-upholstery", 2, 20)
# The worker Quickfix put to work before their consent was signed: assigned before the demo's
# production begins, their consent is signed a week into the history from before Bridgework (so
# the legacy sheets show them working for Quickfix before it, CONSENT_BEFORE_WORK).
CONSENT_AFTER_WORK = ("jebel-qantar-upholstery", 5)
CONSENT_AFTER_WORK_DAYS = 7  # days after the first day of production
# In a mixed prison even numbers are women, except in these workshops, where only every n-th
# worker is (number divisible by n): the building crew has been kept a men's trade although
# women are a large share of Wadi Sahel's workers (GENDER_ACCESS, Bangkok Rule 42).
MIXED_WORKSHOP_WOMEN_EVERY = {"wadi-sahel-building-crew": 20}

FEMALE_NAMES = [
    "Amina",
    "Salma",
    "Houda",
    "Khadija",
    "Meriem",
    "Imane",
    "Sara",
    "Yasmina",
    "Nawal",
    "Hind",
    "Claire",
    "Julie",
    "Inès",
    "Grace",
    "Rim",
    "Souad",
    "Zineb",
    "Lina",
]
MALE_NAMES = [
    "Ahmed",
    "Mourad",
    "Bilal",
    "Hamza",
    "Saïd",
    "Nabil",
    "Tarek",
    "Adil",
    "Mustapha",
    "Paul",
    "Marc",
    "Thomas",
    "Daniel",
    "Samir",
    "Walid",
    "Idriss",
    "Anis",
    "Farid",
]
SURNAMES = [
    "Bennani",
    "Chraibi",
    "El Amrani",
    "Ziani",
    "Mernissi",
    "Belhaj",
    "Saidi",
    "Ouali",
    "Martin",
    "Moreau",
    "Fontaine",
    "Ndiaye",
    "Diallo",
    "Costa",
    "Brahimi",
    "Kaddour",
    "Zeroual",
    "Lahlou",
    "Benjelloun",
    "Touati",
]
# Workers' languages, weighted (language code, weight).
LANGUAGE_WEIGHTS = [("ar", 5), ("fr", 3), ("en", 2)]


# The workshops' public names in the demo's other languages (core.translated_text); the shop shows
# them, so they never name a prison.
WORKSHOP_PUBLIC_NAMES = {
    "Northern bakery": {"fr": "Boulangerie du Nord", "ar": "مخبزة الشمال"},
    "Coastal glasshouses": {"fr": "Serres de la côte", "ar": "البيوت الزجاجية الساحلية"},
    "Northern metalworks": {"fr": "Métallerie du Nord", "ar": "ورشة المعادن الشمالية"},
    "Plateau tailoring": {"fr": "Couture du plateau", "ar": "خياطة الهضبة"},
    "Plateau print shop": {"fr": "Imprimerie du plateau", "ar": "مطبعة الهضبة"},
    "Plateau upholstery": {"fr": "Tapisserie du plateau", "ar": "تنجيد الهضبة"},
    "Oasis soap works": {"fr": "Savonnerie de l’oasis", "ar": "صابون الواحة"},
    "Southern joinery": {"fr": "Menuiserie du Sud", "ar": "نجارة الجنوب"},
    "Southern building crew": {"fr": "Équipe de construction du Sud", "ar": "فريق البناء الجنوبي"},
    "Southern furniture assembly": {
        "fr": "Assemblage de meubles du Sud",
        "ar": "تجميع الأثاث الجنوبي",
    },
}
