"""Product pictures for the demo shop, drawn with Pillow (no downloads): a simple, flat drawing of
the thing itself (a loaf, a jacket, a chair, a bar of soap…) on a soft background, in the colour
of its first variant or of its trade, with a few seeded variations so no two products look alike.
The detail picture is the trade's pattern from ``brand.demo.images``."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from brand.demo.images import PALETTES

SIZE = 800
C = SIZE // 2  # the centre


def _loaf(pen, rng, main, accent):
    width, height = rng.randint(230, 300), rng.randint(140, 190)
    pen.ellipse([C - width, C - height, C + width, C + height], fill=main, outline=accent, width=10)
    for n in range(rng.randint(3, 5)):
        x = C - width // 2 + n * 80
        pen.line([(x, C - height + 40), (x + 60, C + height - 60)], fill=accent, width=12)


def _round(pen, rng, main, accent):
    pen.ellipse([C - 330, C - 330, C + 330, C + 330], fill="#f7f3ea", outline=accent, width=6)
    for _ in range(rng.randint(7, 11)):
        x, y, r = rng.randint(C - 200, C + 200), rng.randint(C - 200, C + 200), rng.randint(50, 80)
        pen.ellipse([x - r, y - r, x + r, y + r], fill=main, outline=accent, width=6)


def _packet(pen, rng, main, accent):
    pen.rectangle([C - 180, C - 240, C + 180, C + 280], fill=main, outline=accent, width=8)
    pen.rectangle([C - 180, C - 280, C + 180, C - 240], fill=accent)
    for _ in range(rng.randint(4, 7)):
        x, y = rng.randint(C - 120, C + 120), rng.randint(C - 140, C + 200)
        pen.ellipse([x - 40, y - 20, x + 40, y + 20], fill=accent)


def _pot(pen, rng, main, accent):
    pen.polygon(
        [(C - 150, C + 40), (C + 150, C + 40), (C + 110, C + 300), (C - 110, C + 300)],
        fill="#b8684a",
    )
    for _ in range(rng.randint(9, 14)):
        x, y = rng.randint(C - 200, C + 200), rng.randint(C - 300, C + 20)
        pen.ellipse([x - 60, y - 30, x + 60, y + 30], fill=rng.choice([main, accent]))


def _jacket(pen, rng, main, accent):
    body = [(C - 220, C - 240), (C + 220, C - 240), (C + 200, C + 300), (C - 200, C + 300)]
    pen.polygon(body, fill=main)
    pen.polygon(
        [(C - 220, C - 240), (C - 330, C + 180), (C - 250, C + 200), (C - 200, C - 60)], fill=main
    )
    pen.polygon(
        [(C + 220, C - 240), (C + 330, C + 180), (C + 250, C + 200), (C + 200, C - 60)], fill=main
    )
    pen.line([(C, C - 240), (C, C + 300)], fill=accent, width=8)
    for dx, dy in [(-150, -100), (60, -100), (-150, 120), (60, 120)]:
        pen.rectangle([C + dx, C + dy, C + dx + 90, C + dy + 80], outline=accent, width=6)


def _cloth(pen, rng, main, accent):
    for n in range(rng.randint(2, 4)):
        top = C - 160 + n * 90
        pen.rectangle(
            [C - 280 + n * 20, top, C + 280 - n * 20, top + 120], fill=main, outline=accent, width=6
        )
        for x in range(C - 260 + n * 20, C + 260 - n * 20, 40):
            pen.line([(x, top + 10), (x, top + 110)], fill=accent, width=3)


def _apron(pen, rng, main, accent):
    pen.polygon(
        [(C - 120, C - 260), (C + 120, C - 260), (C + 220, C + 300), (C - 220, C + 300)], fill=main
    )
    pen.rectangle([C - 90, C - 60, C + 90, C + 60], outline=accent, width=8)
    pen.line([(C - 120, C - 260), (C - 200, C - 340)], fill=accent, width=10)
    pen.line([(C + 120, C - 260), (C + 200, C - 340)], fill=accent, width=10)


def _bag(pen, rng, main, accent):
    pen.rectangle([C - 220, C - 140, C + 220, C + 300], fill=main, outline=accent, width=8)
    pen.arc([C - 150, C - 330, C - 10, C - 50], 180, 360, fill=accent, width=14)
    pen.arc([C + 10, C - 330, C + 150, C - 50], 180, 360, fill=accent, width=14)


def _cushion(pen, rng, main, accent):
    pen.rounded_rectangle(
        [C - 260, C - 200, C + 260, C + 200], radius=90, fill=main, outline=accent, width=8
    )
    for dx in (-120, 0, 120):
        pen.ellipse([C + dx - 14, C - 14, C + dx + 14, C + 14], fill=accent)


def _table(pen, rng, main, accent):
    pen.rectangle([C - 320, C - 120, C + 320, C - 70], fill=main)
    for x in (C - 290, C + 260):
        pen.rectangle([x, C - 70, x + 30, C + 280], fill=main)
    pen.line([(C - 260, C + 150), (C + 260, C + 150)], fill=accent, width=10)


def _shelf(pen, rng, main, accent):
    pen.rectangle([C - 200, C - 320, C - 170, C + 320], fill=main)
    pen.rectangle([C + 170, C - 320, C + 200, C + 320], fill=main)
    for n in range(5):
        y = C - 300 + n * 140
        pen.rectangle([C - 170, y, C + 170, y + 20], fill=main)
        for k in range(rng.randint(2, 6)):
            pen.rectangle([C - 150 + k * 45, y - 90, C - 120 + k * 45, y], fill=accent)


def _chair(pen, rng, main, accent):
    pen.rectangle([C - 160, C - 320, C - 130, C + 300], fill=main)
    pen.rectangle([C + 130, C - 40, C + 160, C + 300], fill=main)
    pen.rectangle([C - 160, C - 320, C + 40, C - 200], fill=accent)
    pen.rectangle([C - 170, C - 60, C + 170, C + 10], fill=accent)


def _stool(pen, rng, main, accent):
    pen.ellipse([C - 220, C - 160, C + 220, C - 40], fill=accent)
    for x0, x1 in [(C - 150, C - 220), (C, C), (C + 150, C + 220)]:
        pen.line([(x0, C - 100), (x1, C + 300)], fill=main, width=26)


def _board(pen, rng, main, accent):
    pen.rounded_rectangle([C - 300, C - 160, C + 220, C + 160], radius=60, fill=main)
    pen.ellipse([C + 180, C - 50, C + 320, C + 50], fill=main)
    for n in range(6):
        pen.arc(
            [C - 280, C - 140 + n * 30, C + 200, C + 140 - n * 10], 200, 340, fill=accent, width=4
        )


def _shutters(pen, rng, main, accent):
    for left in (C - 260, C + 10):
        pen.rectangle([left, C - 300, left + 250, C + 300], fill=main, outline=accent, width=10)
        for y in range(C - 270, C + 280, 40):
            pen.line([(left + 20, y), (left + 230, y + 14)], fill=accent, width=6)


def _gate(pen, rng, main, accent):
    pen.rectangle([C - 300, C - 260, C + 300, C + 280], outline=main, width=24)
    for x in range(C - 240, C + 260, 60):
        pen.line([(x, C - 260), (x, C + 280)], fill=main, width=14)
    pen.ellipse([C + 220, C - 20, C + 270, C + 30], fill=accent)


def _stand(pen, rng, main, accent):
    for n in range(3):
        y = C - 240 + n * 200
        pen.rectangle([C - 220 + n * 30, y, C + 220 - n * 30, y + 20], fill=main)
        pen.polygon([(C - 60, y - 100), (C + 60, y - 100), (C + 40, y), (C - 40, y)], fill=accent)
    pen.line([(C - 220, C - 240), (C - 160, C + 320)], fill=main, width=14)
    pen.line([(C + 220, C - 240), (C + 160, C + 320)], fill=main, width=14)


def _hooks(pen, rng, main, accent):
    pen.rectangle([C - 320, C - 60, C + 320, C - 20], fill=main)
    for n in range(5):
        x = C - 260 + n * 130
        pen.arc([x - 30, C - 40, x + 30, C + 140], 0, 180, fill=accent, width=16)


def _lantern(pen, rng, main, accent):
    pen.polygon([(C - 160, C - 220), (C + 160, C - 220), (C, C - 340)], fill=main)
    pen.rectangle([C - 160, C - 220, C + 160, C + 280], fill=main)
    for _ in range(rng.randint(14, 22)):
        x, y = rng.randint(C - 130, C + 130), rng.randint(C - 190, C + 250)
        pen.ellipse([x - 14, y - 14, x + 14, y + 14], fill=accent)


def _book(pen, rng, main, accent):
    pen.rectangle([C - 220, C - 300, C + 220, C + 300], fill=main)
    pen.rectangle([C - 220, C - 300, C - 180, C + 300], fill=accent)
    for n in range(rng.randint(3, 6)):
        r = 40 + n * 30
        pen.ellipse([C - r + 20, C - r, C + r + 20, C + r], outline=accent, width=6)


def _cards(pen, rng, main, accent):
    for n in range(3):
        offset = n * 60 - 60
        box = [C - 240 + offset, C - 200 + offset, C + 140 + offset, C + 150 + offset]
        pen.rectangle(box, fill="#faf7f2", outline=accent, width=6)
        pen.ellipse([box[0] + 120, box[1] + 90, box[0] + 260, box[1] + 230], fill=main)


def _soap(pen, rng, main, accent):
    for n in range(rng.randint(2, 3)):
        y = C + 120 - n * 170
        pen.rounded_rectangle(
            [C - 220, y - 70, C + 220, y + 70], radius=40, fill=main, outline=accent, width=6
        )
        pen.ellipse([C - 60, y - 45, C + 60, y + 45], outline=accent, width=6)


DRAWINGS = {
    "apron": _apron,
    "bag": _bag,
    "board": _board,
    "book": _book,
    "cards": _cards,
    "chair": _chair,
    "cloth": _cloth,
    "cushion": _cushion,
    "gate": _gate,
    "hooks": _hooks,
    "jacket": _jacket,
    "lantern": _lantern,
    "loaf": _loaf,
    "packet": _packet,
    "pot": _pot,
    "round": _round,
    "shelf": _shelf,
    "shutters": _shutters,
    "soap": _soap,
    "stand": _stand,
    "stool": _stool,
    "table": _table,
}


def draw_product(drawing: str, theme: str, colour: str | None, seed: int) -> bytes:
    rng = random.Random(seed)  # drawing demo pictures, not security  # nosec B311
    background, main, accent = PALETTES.get(theme, PALETTES["brand"])
    picture = PILImage.new("RGB", (SIZE, SIZE), background)
    pen = ImageDraw.Draw(picture)
    for _ in range(rng.randint(6, 12)):  # a soft backdrop of dots, different for each product
        x, y, r = rng.randrange(SIZE), rng.randrange(SIZE), rng.randint(20, 70)
        pen.ellipse([x - r, y - r, x + r, y + r], outline=main, width=3)
    DRAWINGS[drawing](pen, rng, colour or main, accent)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def product_image(title: str, drawing: str, theme: str, colour: str | None, seed: int) -> Image:
    """The demo picture of that title, drawn the first time it is asked for."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    image = Image(title=title, description=title)
    data = draw_product(drawing, theme, colour, seed)
    image.file = ImageFile(io.BytesIO(data), name=f"demo-product-{seed}.jpg")
    image.save()
    return image
