"""Illustrations for the demo, drawn with Pillow so the demo needs no downloads: one abstract
pattern per trade in the brand's colours (wood grain, woven cloth, bubbles, leaves…)."""

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

WIDTH, HEIGHT = 1200, 800
PALETTES = {
    "bakery": ("#f6e3c5", "#d99a4e", "#8c5326"),
    "carpentry": ("#e9d3b0", "#b07a45", "#6b4423"),
    "construction": ("#e7e1d8", "#b8684a", "#5b5048"),
    "hydroponics": ("#e4f1e1", "#5fa35b", "#1f5f3a"),
    "printing": ("#eef0f4", "#2b6cb0", "#c53030"),
    "soap-making": ("#f3eef6", "#a58bc2", "#5e4a7a"),
    "tailoring": ("#e6eef2", "#3f6f8f", "#f2c14e"),
    "upholstery": ("#f4e9e4", "#b5534a", "#3c2f2f"),
    "welding": ("#e8ebee", "#6b7785", "#f08a24"),
    "brand": ("#0b5d56", "#f2c14e", "#faf7f2"),
}


def draw(theme: str, seed: int) -> bytes:
    rng = random.Random(seed)  # drawing demo pictures, not security  # nosec B311
    background, main, accent = PALETTES.get(theme, PALETTES["brand"])
    picture = PILImage.new("RGB", (WIDTH, HEIGHT), background)
    pen = ImageDraw.Draw(picture)
    if theme in {"carpentry", "upholstery"}:
        for y in range(0, HEIGHT, 14):
            wave = [(x, y + 10 * math.sin(x / 90 + y / 40)) for x in range(0, WIDTH + 20, 20)]
            pen.line(wave, fill=main if y % 42 else accent, width=5)
    elif theme in {"tailoring", "printing"}:
        for x in range(0, WIDTH, 40):
            pen.rectangle([x, 0, x + 18, HEIGHT], fill=main)
        for y in range(0, HEIGHT, 40):
            pen.rectangle([0, y, WIDTH, y + 10], fill=accent)
    elif theme in {"hydroponics"}:
        for _ in range(70):
            x, y, r = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randrange(30, 90)
            pen.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=rng.choice([main, accent]))
    elif theme in {"construction", "welding"}:
        for row, y in enumerate(range(0, HEIGHT, 60)):
            offset = 0 if row % 2 else 60
            for x in range(-offset, WIDTH, 120):
                pen.rectangle(
                    [x + 4, y + 4, x + 116, y + 56], fill=rng.choice([main, main, accent])
                )
    else:
        for _ in range(45):
            x, y, r = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randrange(25, 140)
            pen.ellipse([x - r, y - r, x + r, y + r], outline=rng.choice([main, accent]), width=8)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def demo_image(title: str, theme: str, seed: int) -> Image:
    """The demo image of that title, drawn the first time it is asked for."""
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    data = draw(theme, seed)
    image = Image(title=title, description=title)
    image.file = ImageFile(io.BytesIO(data), name=f"demo-{theme}-{seed}.jpg")
    image.save()
    return image
