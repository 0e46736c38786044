from .pages import HomePage, ImpactPage, StandardPage, StoryIndexPage, StoryPage
from .settings import BrandSettings

__all__ = [
    "BrandSettings",
    "HomePage",
    "ImpactPage",
    "StandardPage",
    "StoryIndexPage",
    "StoryPage",
]
