"""The demo shop's fixed words and figures: the seller, taxes, shipping, categories, and the few
words shared by many products (options, materials, care), each in English, French and Arabic.

The products themselves are in ``catalogue_products``. Everything is fictional; the demo IBAN has
a valid check sum (it is the usual documentation example) but belongs to no account.
"""

import datetime
from decimal import Decimal

SHOP_SETTINGS = {
    "seller_name": "Prison Work Programme of the Republic of Qantara",
    "seller_address": "Bridgework Shop\n14 Rue des Artisans\nQantara City 10020\nRepublic of Qantara",
    "seller_registration": "VAT QA 0200 4471",
    "bank_name": "Qantara Demo Bank",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": "QDBKFRPPXXX",
    "payment_terms_days": 30,
    "prices_include_tax": True,
}

# (code, name, {language: name}, [(in force from, rate %)])
TAX_CLASSES = [
    (
        "standard",
        "Standard rate",
        {"fr": "Taux normal", "ar": "المعدل العادي"},
        [
            (datetime.date(2020, 1, 1), Decimal("19.00")),
            (datetime.date(2025, 1, 1), Decimal("20.00")),
        ],
    ),
    (
        "reduced",
        "Reduced rate: food and books",
        {"fr": "Taux réduit : alimentation et livres", "ar": "المعدل المخفّض: الأغذية والكتب"},
        [(datetime.date(2020, 1, 1), Decimal("5.50"))],
    ),
]

# Qantara is fictional and has no ISO 3166 code: the demo's addresses "at home" are in France
# (FR), whose currency and languages it shares.
HOME = ["FR"]
NEIGHBOURS = ["BE", "DE", "ES", "IT", "LU", "NL", "PT"]
COLLECTION_ADDRESS = "Bridgework Shop, 14 Rue des Artisans, Qantara City 10020"

# zone → [(name, {language: name}, up to grams, price)]; the rest of the world is every other country
SHIPPING = {
    "Home": [
        ("Standard delivery", {"fr": "Livraison standard", "ar": "توصيل عادي"}, 2000, "4.90"),
        ("Standard delivery", {"fr": "Livraison standard", "ar": "توصيل عادي"}, 10000, "9.90"),
        ("Heavy parcel", {"fr": "Colis lourd", "ar": "طرد ثقيل"}, 30000, "19.90"),
        (
            "Furniture delivery",
            {"fr": "Livraison de meubles", "ar": "توصيل الأثاث"},
            150000,
            "59.00",
        ),
    ],
    "Neighbouring EU countries": [
        (
            "European delivery",
            {"fr": "Livraison en Europe", "ar": "توصيل إلى أوروبا"},
            2000,
            "12.90",
        ),
        (
            "European delivery",
            {"fr": "Livraison en Europe", "ar": "توصيل إلى أوروبا"},
            10000,
            "24.90",
        ),
        ("European freight", {"fr": "Fret européen", "ar": "شحن أوروبي"}, 150000, "190.00"),
    ],
    "Rest of the world": [
        (
            "International delivery",
            {"fr": "Livraison internationale", "ar": "توصيل دولي"},
            2000,
            "24.90",
        ),
        (
            "International delivery",
            {"fr": "Livraison internationale", "ar": "توصيل دولي"},
            10000,
            "59.00",
        ),
    ],
}
COLLECTION = (
    "Collect from the Bridgework shop",
    {"fr": "Retrait à la boutique Bridgework", "ar": "الاستلام من متجر Bridgework"},
    150000,
    "0.00",
)

SHOP = {
    "slug": "shop",
    "title": "Shop",
    "intro": "Goods made in the programme's workshops. Every product shows where it was made and "
    "what lies behind it.",
}

# (slug, title, intro, drawing theme of the category's picture)
CATEGORIES = [
    (
        "bakery-and-pantry",
        "Bakery and pantry",
        "Bread, biscuits and cakes from the northern bakery, baked the day they are sent.",
        "bakery",
    ),
    (
        "kitchen-garden",
        "Kitchen garden",
        "Herbs from the coastal glasshouses: fresh in pots, or dried for tea and cooking.",
        "hydroponics",
    ),
    (
        "textiles",
        "Textiles",
        "Workwear, aprons, table linen and cushions, cut and sewn in the plateau tailoring.",
        "tailoring",
    ),
    (
        "furniture-and-wood",
        "Furniture and wood",
        "Solid wood from the southern joinery and chairs given a new life by the upholsterers.",
        "carpentry",
    ),
    (
        "metalwork",
        "Metalwork",
        "Garden furniture, gates and lanterns, welded by certified welders.",
        "welding",
    ),
    (
        "paper-and-print",
        "Paper and print",
        "Notebooks, calendars, cards and books printed and bound in the plateau print shop.",
        "printing",
    ),
    (
        "soap-and-care",
        "Soap and care",
        "Cold-process soap from the oasis soap works, cut by hand and cured for six weeks.",
        "soap-making",
    ),
]

# Option words of variants: English → (French, Arabic)
OPTIONS = {
    "800 g": ("800 g", "800 غ"),
    "1.2 kg": ("1,2 kg", "1,2 كغ"),
    "500 g": ("500 g", "500 غ"),
    "1 kg": ("1 kg", "1 كغ"),
    "50 g": ("50 g", "50 غ"),
    "100 g": ("100 g", "100 غ"),
    "Pack of 4": ("Paquet de 4", "عبوة من 4"),
    "Pack of 8": ("Paquet de 8", "عبوة من 8"),
    "Box of 12": ("Boîte de 12", "علبة من 12"),
    "Box of 24": ("Boîte de 24", "علبة من 24"),
    "Rosemary": ("Romarin", "إكليل الجبل"),
    "Za'atar": ("Zaatar", "زعتر"),
    "Single": ("À l'unité", "قطعة واحدة"),
    "Pack of 3": ("Lot de 3", "مجموعة من 3"),
    "Pack of 5": ("Lot de 5", "مجموعة من 5"),
    "Size S": ("Taille S", "مقاس S"),
    "Size M": ("Taille M", "مقاس M"),
    "Size L": ("Taille L", "مقاس L"),
    "Size XL": ("Taille XL", "مقاس XL"),
    "Natural": ("Naturel", "طبيعي"),
    "Indigo": ("Indigo", "نيلي"),
    "Terracotta": ("Terre cuite", "طيني"),
    "Olive green": ("Vert olive", "أخضر زيتوني"),
    "Charcoal": ("Anthracite", "فحمي"),
    "Saffron": ("Safran", "زعفراني"),
    "Forest green": ("Vert forêt", "أخضر غامق"),
    "Natural oak": ("Chêne naturel", "بلوط طبيعي"),
    "Dark oak": ("Chêne foncé", "بلوط داكن"),
    "160 × 90 cm": ("160 × 90 cm", "160 × 90 سم"),
    "200 × 90 cm": ("200 × 90 cm", "200 × 90 سم"),
    "60 × 120 cm": ("60 × 120 cm", "60 × 120 سم"),
    "70 × 140 cm": ("70 × 140 cm", "70 × 140 سم"),
    "Seat height 38 cm": ("Assise à 38 cm", "ارتفاع المقعد 38 سم"),
    "Seat height 46 cm": ("Assise à 46 cm", "ارتفاع المقعد 46 سم"),
    "Small": ("Petit", "صغير"),
    "Large": ("Grand", "كبير"),
    "Plants": ("Plantes", "نباتات"),
    "Patterns": ("Motifs", "زخارف"),
}

# The colour a variant's option gives its drawing.
COLOURS = {
    "Natural": "#e8dcc4",
    "Indigo": "#2f3e6b",
    "Terracotta": "#c0623f",
    "Olive green": "#6b7a3a",
    "Charcoal": "#3b3f45",
    "Saffron": "#e3a72f",
    "Forest green": "#2e5b3c",
    "Natural oak": "#c9a06a",
    "Dark oak": "#6b4a2e",
}

# The colour of the drawing of a product whose first variant names none.
PRODUCT_COLOURS = {
    "semolina-flatbread": "#e3b86a",
    "almond-biscuits": "#d9b07a",
    "date-cookies": "#8c5326",
    "olive-oil-crackers": "#e0c27a",
    "honey-cake": "#b5702f",
    "dried-basil": "#3f7d3a",
    "herb-salt": "#9fb8a8",
    "tea-towels": "#0b5d56",
    "wall-calendar": "#c53030",
    "bakery-recipe-book": "#d99a4e",
    "exercise-book": "#2b6cb0",
    "olive-oil-soap": "#b5b86a",
    "laurel-soap": "#6f8f4e",
    "lavender-soap": "#a58bc2",
    "soap-flakes": "#e8e0cc",
    "soap-gift-box": "#d9a35f",
}

# Materials and care, shared by the products of a kind: key → (English, French, Arabic)
MATERIALS = {
    "bread": (
        "Wheat flour, water, sea salt and sourdough. Contains gluten.",
        "Farine de blé, eau, sel de mer et levain. Contient du gluten.",
        "دقيق القمح والماء وملح البحر والخميرة الطبيعية. يحتوي على الغلوتين.",
    ),
    "biscuits": (
        "Wheat flour, sugar, butter, eggs, almonds or dates. Contains gluten, eggs, milk and nuts.",
        "Farine de blé, sucre, beurre, œufs, amandes ou dattes. Contient du gluten, des œufs, du lait et des fruits à coque.",
        "دقيق القمح والسكر والزبدة والبيض واللوز أو التمر. يحتوي على الغلوتين والبيض والحليب والمكسرات.",
    ),
    "herbs": (
        "Herbs grown without soil in the coastal glasshouses, with no pesticides.",
        "Herbes cultivées hors-sol dans les serres de la côte, sans pesticides.",
        "أعشاب مزروعة دون تربة في البيوت الزجاجية الساحلية، بلا مبيدات.",
    ),
    "cloth": (
        "Heavy cotton woven in the region; thread and buttons from local suppliers.",
        "Coton épais tissé dans la région ; fil et boutons de fournisseurs locaux.",
        "قطن متين منسوج في المنطقة، والخيوط والأزرار من موردين محليين.",
    ),
    "wood": (
        "Solid oak or olive wood from managed local forests, finished with plant oils.",
        "Chêne massif ou olivier issu de forêts locales gérées durablement, fini aux huiles végétales.",
        "خشب بلوط أو زيتون صلب من غابات محلية مُدارة، مُشطَّب بزيوت نباتية.",
    ),
    "upholstery": (
        "Beech frame, jute webbing, coir and cotton wadding, cotton canvas cover.",
        "Carcasse en hêtre, sangles en jute, fibre de coco et ouate de coton, housse en toile de coton.",
        "هيكل من خشب الزان وأحزمة من الجوت وحشو من ألياف جوز الهند والقطن، وغطاء من قماش قطني.",
    ),
    "metal": (
        "Mild steel, welded and powder-coated against rust.",
        "Acier doux, soudé et thermolaqué contre la rouille.",
        "فولاذ طري، ملحوم ومطلي بالمسحوق ضد الصدأ.",
    ),
    "paper": (
        "Recycled paper and board, vegetable inks, sewn or stapled binding.",
        "Papier et carton recyclés, encres végétales, reliure cousue ou agrafée.",
        "ورق وكرتون معاد تدويرهما وأحبار نباتية وتجليد مخيط أو مدبّس.",
    ),
    "soap": (
        "Olive oil, water, soda and, in some bars, laurel oil or lavender essential oil.",
        "Huile d'olive, eau, soude et, pour certains pains, huile de laurier ou huile essentielle de lavande.",
        "زيت الزيتون والماء والصودا، وفي بعض القطع زيت الغار أو زيت الخزامى العطري.",
    ),
}
CARE = {
    "bread": (
        "Keep in a cloth bag; best within three days. It freezes well.",
        "À garder dans un sac en tissu ; meilleur dans les trois jours. Se congèle très bien.",
        "يُحفظ في كيس من القماش، ويُفضَّل تناوله خلال ثلاثة أيام. يمكن تجميده.",
    ),
    "dry": (
        "Keep in a cool, dry place, closed after opening.",
        "À conserver au frais et au sec, bien fermé après ouverture.",
        "يُحفظ في مكان بارد وجاف، ويُغلق جيدًا بعد الفتح.",
    ),
    "plant": (
        "Water when the soil is dry; keep in light, out of hot midday sun.",
        "Arroser quand la terre est sèche ; garder à la lumière, à l'abri du soleil brûlant de midi.",
        "اسقِها عندما تجف التربة، وضعها في الضوء بعيدًا عن شمس الظهيرة الحارة.",
    ),
    "cloth": (
        "Machine wash at 40 °C; iron while slightly damp.",
        "Lavage en machine à 40 °C ; repasser encore légèrement humide.",
        "يُغسل في الغسالة على 40 درجة، ويُكوى وهو رطب قليلًا.",
    ),
    "wood": (
        "Wipe with a damp cloth; oil once a year.",
        "Essuyer avec un chiffon humide ; huiler une fois par an.",
        "يُمسح بقطعة قماش رطبة، ويُدهن بالزيت مرة في السنة.",
    ),
    "upholstery": (
        "Vacuum gently; clean stains with a damp cloth and mild soap.",
        "Aspirer doucement ; nettoyer les taches avec un chiffon humide et un savon doux.",
        "يُنظَّف بالمكنسة برفق، وتُزال البقع بقطعة قماش رطبة وصابون لطيف.",
    ),
    "metal": (
        "Wipe clean; touch up any scratch with the paint supplied.",
        "Essuyer ; retoucher les rayures avec la peinture fournie.",
        "يُمسح للتنظيف، وتُعالج الخدوش بالطلاء المرفق.",
    ),
    "paper": (
        "Keep away from damp and direct sunlight.",
        "Tenir à l'abri de l'humidité et du soleil direct.",
        "يُحفظ بعيدًا عن الرطوبة وأشعة الشمس المباشرة.",
    ),
    "soap": (
        "Let it dry between uses on a draining dish; it lasts longer.",
        "Laisser sécher entre deux utilisations sur un porte-savon égouttoir : il dure plus longtemps.",
        "اتركه يجف بين الاستعمالات على صحن مثقوب ليدوم أطول.",
    ),
}

# The shop's pages' own words: English → (French, Arabic)
PAGE_WORDS = {
    "Shop": ("Boutique", "المتجر"),
    SHOP["intro"]: (
        "Des produits fabriqués dans les ateliers du programme. Chaque produit indique où il a été "
        "fait et ce qu'il y a derrière.",
        "منتجات مصنوعة في ورشات البرنامج. يبيّن كل منتج أين صُنع وما الذي يقف وراءه.",
    ),
    "Bakery and pantry": ("Boulangerie et épicerie", "المخبزة والمؤونة"),
    CATEGORIES[0][2]: (
        "Pains, biscuits et gâteaux de la boulangerie du Nord, cuits le jour de l'envoi.",
        "خبز وبسكويت وكعك من مخبزة الشمال، تُخبز يوم إرسالها.",
    ),
    "Kitchen garden": ("Potager", "حديقة المطبخ"),
    CATEGORIES[1][2]: (
        "Les herbes des serres de la côte : fraîches en pot, ou séchées pour les infusions et la cuisine.",
        "أعشاب من البيوت الزجاجية الساحلية: طازجة في أصص، أو مجففة للشاي والطبخ.",
    ),
    "Textiles": ("Textiles", "المنسوجات"),
    CATEGORIES[2][2]: (
        "Vêtements de travail, tabliers, linge de table et coussins, coupés et cousus par la couture du plateau.",
        "ملابس عمل ومآزر ومفارش مائدة ووسائد، تُفصَّل وتُخاط في خياطة الهضبة.",
    ),
    "Furniture and wood": ("Meubles et bois", "الأثاث والخشب"),
    CATEGORIES[3][2]: (
        "Du bois massif de la menuiserie du Sud et des chaises auxquelles les tapissiers donnent une nouvelle vie.",
        "خشب صلب من نجارة الجنوب وكراسٍ يمنحها المنجّدون حياة جديدة.",
    ),
    "Metalwork": ("Métallerie", "المشغولات المعدنية"),
    CATEGORIES[4][2]: (
        "Mobilier de jardin, portails et lanternes, soudés par des soudeurs certifiés.",
        "أثاث حدائق وبوابات وفوانيس، يلحمها لحّامون معتمدون.",
    ),
    "Paper and print": ("Papeterie et imprimés", "الورق والطباعة"),
    CATEGORIES[5][2]: (
        "Cahiers, calendriers, cartes et livres imprimés et reliés à l'imprimerie du plateau.",
        "دفاتر وتقاويم وبطاقات وكتب تُطبع وتُجلَّد في مطبعة الهضبة.",
    ),
    "Soap and care": ("Savons et soins", "الصابون والعناية"),
    CATEGORIES[6][2]: (
        "Savon saponifié à froid de la savonnerie de l'oasis, coupé à la main et affiné six semaines.",
        "صابون مصنوع على البارد من صابون الواحة، يُقطَّع باليد ويُجفَّف ستة أسابيع.",
    ),
}

# Alternative texts of the drawings: English pattern → (French, Arabic), with the product's title
ALT_MAIN = ("A drawing of the {title}", "Dessin : {title}", "رسم: {title}")
ALT_DETAIL = (
    "A pattern in the colours of the {title}",
    "Motif aux couleurs de l'article : {title}",
    "زخرفة بألوان المنتج: {title}",
)
