"""The demo country and the brand site's demo content.

Qantara is fictional. Its prison service sells what its workshops make under the brand
"Bridgework"; it speaks English, French and Arabic. Stories use only names their tellers chose.
"""

COUNTRY = "Republic of Qantara"
BRAND_NAME = "Bridgework"
TAGLINE = "Goods made in Qantara's work and training programme: fair pay, real skills, proven by the records."
CONTACT_EMAIL = "hello@bridgework.example"
CONTACT_PHONE = "+000 21 555 0140"
POSTAL_ADDRESS = "Bridgework Shop\n14 Rue des Artisans\nQantara City 10020\nRepublic of Qantara"
LEGAL_NOTICE = (
    "<p>Bridgework is published by the Prison Work Programme of the Republic of Qantara, "
    "14 Rue des Artisans, Qantara City. VAT number QA 0200 4471.</p>"
)

# (name, slug, ISCO-08 unit group, public description)
TRADES = [
    (
        "Bakery",
        "bakery",
        "7512",
        "Bread, pastry and biscuits baked to the national food hygiene standard.",
    ),
    (
        "Carpentry and joinery",
        "carpentry",
        "7115",
        "Furniture, frames and fitted joinery in solid local timber.",
    ),
    (
        "Construction",
        "construction",
        "7112",
        "Bricklaying, rendering and site work on public building projects.",
    ),
    (
        "Hydroponics",
        "hydroponics",
        "6113",
        "Herbs and salad greens grown in water-efficient glasshouses.",
    ),
    ("Printing", "printing", "7322", "Offset and digital print, bookbinding and finishing."),
    ("Soap making", "soap-making", "8131", "Cold-process olive-oil soap, cut and cured by hand."),
    (
        "Tailoring",
        "tailoring",
        "7531",
        "Workwear, school uniforms and table linen cut and sewn to order.",
    ),
    ("Upholstery", "upholstery", "7534", "Chairs and benches re-webbed, re-sprung and re-covered."),
    (
        "Welding and metalwork",
        "welding",
        "7212",
        "Gates, railings and garden furniture, certified welding.",
    ),
]

HOME = {
    "title": "Home",
    "hero_heading": "Made with skill. Paid fairly. Proven by the records.",
    "hero_text": (
        "Everything in this shop was made in Qantara's prison workshops by people learning a trade. "
        "Every purchase pays a fair wage, funds accredited training and helps someone leave with "
        "skills an employer values."
    ),
    "hero_link_text": "Read how we check",
    "body": [
        ("heading", {"text": "Work that resembles work outside", "level": "h2"}),
        (
            "paragraph",
            "<p>Our bakers, tailors, carpenters and growers work in real trades, to the standards "
            "of the same trades outside. They are paid for every accepted piece and every hour, "
            "they train towards qualifications recognised across the country, and part of what "
            "they earn is saved for the day they leave.</p>",
        ),
        (
            "paragraph",
            "<p>We do not ask you to take this on trust. The safeguards of the United Nations "
            "Nelson Mandela Rules and the International Labour Organization's conventions are "
            "checked against the programme's own records: hours worked, wages paid, training "
            "given, consent recorded. Independent auditors sign the results.</p>",
        ),
    ],
}

STANDARD_PAGES = [
    {
        "slug": "our-promise",
        "title": "Our promise",
        "show_in_menus": True,
        "intro": "Prison work can help people rebuild their lives, or it can exploit them. Here is how "
        "we make sure it does the first.",
        "body": [
            ("heading", {"text": "Fair pay", "level": "h2"}),
            (
                "paragraph",
                "<p>Everyone is paid at least the floor set by the pay policy: a share of the "
                "national minimum wage in the administration's own workshops, and the market wage "
                "for the trade when a partner company employs them. When a pay run finds anyone "
                "paid below the floor, the difference is owed to them and paid back.</p>",
            ),
            ("heading", {"text": "Real training", "level": "h2"}),
            (
                "paragraph",
                "<p>Every trade in the programme leads to an accredited qualification. Certificates "
                "look exactly like those earned outside and never mention where they were earned.</p>",
            ),
            ("heading", {"text": "Consent and safety", "level": "h2"}),
            (
                "paragraph",
                "<p>Nobody works for a partner company without their written consent, and they may "
                "withdraw it. Working hours, rest days and safety inspections are checked, and "
                "grievances must be answered in time.</p>",
            ),
            (
                "quote",
                {
                    "quote": "The measure of the work is the person who walks out with a trade.",
                    "attribution": "Programme director",
                },
            ),
        ],
    },
    {
        "slug": "how-we-check",
        "title": "How we check",
        "show_in_menus": True,
        "intro": "Each safeguard is a rule computed from recorded data, not from promises. These are the rules "
        "and the standards they come from.",
        "body": [
            (
                "paragraph",
                "<ul><li><b>Hours</b> worked per day and per week stay within the policy limits, "
                "and every seven days include a day of rest (Mandela Rule 102).</li>"
                "<li><b>Fitness</b> for work is cleared by a doctor before the first shift (Rule 96).</li>"
                "<li><b>Wages</b> are at or above the floor, and a partner pays the full wage cost "
                "of the labour it uses (Rules 100 and 103, ILO Forced Labour Convention).</li>"
                "<li><b>Deductions</b> never exceed the cap, and part of every wage goes to the "
                "person's own spending and release savings (Rule 103).</li>"
                "<li><b>Consent</b> to work for a partner is written, complete and recorded before "
                "the first shift; withdrawing it is respected.</li>"
                "<li><b>Supervision</b> by prison staff on every shift for a partner (Rule 100).</li>"
                "<li><b>No staff benefit</b> from any partner contract (Rule 97).</li>"
                "<li><b>Training</b> time and access to trades are equal for women and men "
                "(Bangkok Rule 42).</li>"
                "<li><b>Grievances</b> are answered within the policy time.</li></ul>",
            ),
            (
                "paragraph",
                "<p>Auditors run these rules over any partner, workshop or prison and period, see "
                "the records behind each finding, and sign the assessment. A partner found "
                "breaking the rules is suspended until it puts things right.</p>",
            ),
        ],
    },
    {
        "slug": "for-business",
        "title": "For business",
        "show_in_menus": True,
        "intro": "Uniforms for a ministry, furniture for a school, print for a town hall: order in bulk and pay on invoice.",
        "body": [
            (
                "paragraph",
                "<p>Request a quote with your quantities and delivery dates, and pay on invoice with "
                "your purchase-order number. Large orders are planned with the workshops so that "
                "nobody is asked to work beyond the agreed hours.</p>",
            ),
        ],
    },
    {
        "slug": "legal-notices",
        "title": "Legal notices",
        "show_in_menus": False,
        "intro": "Who publishes this site and sells these goods.",
        "body": [
            (
                "paragraph",
                "<p>Publisher: the Prison Work Programme of the Republic of Qantara, 14 Rue des "
                "Artisans, Qantara City 10020. Director of publication: the Programme Director. "
                "Goods are sold by the Programme under the national law on distance selling; you "
                "may return them within 14 days.</p>",
            ),
        ],
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "show_in_menus": False,
        "intro": "What we keep about you, and what we never publish about the people who make our goods.",
        "body": [
            (
                "paragraph",
                "<p>We keep your orders and contact details to deliver, invoice and answer you, for "
                "as long as the law on accounting records requires. Nothing on this site links a "
                "person to prison: the only names shown are ones people chose and consented to "
                "show, and published figures never count fewer than five people.</p>",
            ),
        ],
    },
    {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "show_in_menus": False,
        "intro": "We want everyone to be able to use this site.",
        "body": [
            (
                "paragraph",
                "<p>This site aims to meet the Web Content Accessibility Guidelines 2.2 at level "
                "AA: it can be used with a keyboard alone, with a screen reader, zoomed to 400 % "
                "and in right-to-left languages. If something does not work for you, write to "
                "hello@bridgework.example and we will answer within five working days.</p>",
            ),
        ],
    },
]

STORY_INDEX = {
    "slug": "stories",
    "title": "Stories",
    "intro": "People in the programme, in their own words, told with their consent and under the names they chose.",
}

# (slug, title, teller's chosen name, trade slug, date, teaser, paragraphs, quote)
STORIES = [
    (
        "bread-at-four",
        "Bread at four in the morning",
        "Samira",
        "bakery",
        "2026-09-14",
        "Samira had never baked before she joined the bakery. Eighteen months on she runs the "
        "morning shift's ovens and has her pastry certificate.",
        [
            "The first loaves I made were like bricks. The instructor cut one open in front of "
            "everyone and said: good, now we know where we start.",
            "The bakery starts at four. By seven the bread for the shop and two school canteens "
            "is out. I like that the work is real: if the dough is wrong, a school waits.",
            "Part of my wage goes to my savings for when I leave, part to my daughter. I can "
            "see both on my payslip every month.",
        ],
        "I have a certificate with my name on it, and nothing else. It looks like anyone's.",
    ),
    (
        "the-chair-that-came-back",
        "The chair that came back",
        "Youssef",
        "upholstery",
        "2026-08-02",
        "An old café chair came into the upholstery workshop with its springs through the seat. "
        "Youssef explains what it takes to give it twenty more years.",
        [
            "You strip it to the frame first. Every tack, every layer of horsehair. You learn "
            "how someone built it a long time ago.",
            "Then webbing, springs tied eight ways, hessian, stuffing, calico, and the top "
            "cover. It takes me two days now. It took me two weeks the first time.",
        ],
        "When I leave, there are three upholsterers in my town. I have already written to two of them.",
    ),
    (
        "green-in-the-desert",
        "Green in the desert",
        "Nadia",
        "hydroponics",
        "2026-07-20",
        "Basil, mint and lettuce grown with a tenth of the water of a field. Nadia is one of the "
        "first women certified as a greenhouse technician in the programme.",
        [
            "People thought the glasshouse would be easy work. It is chemistry: pH, "
            "conductivity, temperature, every morning, written down.",
            "I asked to train in the welding workshop too, because the frames break. Nobody "
            "told me it was a man's trade. They put me on the course.",
        ],
        "I can tell you the conductivity of a nutrient solution by the colour of the leaves.",
    ),
    (
        "uniforms-for-the-school-year",
        "Five thousand uniforms for the school year",
        "Karim",
        "tailoring",
        "2026-06-30",
        "The tailoring workshop cut and sewed five thousand school uniforms for the new term. "
        "Karim, a line lead, on planning a large order without breaking the rules on hours.",
        [
            "A big order is a planning problem. We have a maximum number of hours a day and a "
            "rest day every week, and those do not bend because a ministry is in a hurry.",
            "So we planned from June. Cutting first, then three lines sewing, then finishing. "
            "We delivered on the first of September.",
        ],
        "The rule on hours protects us. It also makes us better planners.",
    ),
    (
        "the-printers-apprentice",
        "The printer's apprentice",
        "Omar B.",
        "printing",
        "2026-05-11",
        "Omar started by sweeping the print shop floor. Now he sets up the offset press for the "
        "programme's own catalogues.",
        [
            "Registration is everything in offset printing: four colours landing on exactly "
            "the same spot. The first time I got it right, the instructor framed the sheet.",
            "I am saving for a second-hand press. The release savings fund will not buy it, "
            "but it is a start.",
        ],
        "Ink does not care where you learned to use it.",
    ),
    (
        "soap-that-takes-six-weeks",
        "Soap that takes six weeks",
        "Leila",
        "soap-making",
        "2026-04-03",
        "Cold-process soap is made in an afternoon and cured for six weeks. Leila on patience, "
        "olive oil and the chemistry exam she passed.",
        [
            "You mix the lye and the oil, pour, cut, and then you wait. Six weeks on the racks, "
            "turned every week.",
            "I did the chemistry module of the course at night. I passed it in March.",
        ],
        "When I hand in a batch, I know exactly how many hours are in it. So does the shop.",
    ),
]

IMPACT = {
    "slug": "impact",
    "title": "Our impact",
    "intro": "The figures here are computed from the programme's own records (hours worked, wages "
    "paid, qualifications earned) as they are entered. Figures that would count fewer than five "
    "people are never shown.",
    "body": [
        ("heading", {"text": "What we measure", "level": "h2"}),
        (
            "paragraph",
            "<ul><li>Hours of paid work and of accredited training, by trade.</li>"
            "<li>Wages paid, and how they were shared between own spending, family, release "
            "savings and the victims' fund.</li>"
            "<li>Qualifications earned, by trade and level.</li>"
            "<li>The share of partner companies found fair by the latest signed assessments.</li></ul>",
        ),
    ],
}
