from .pages import HomePage, ImpactPage, StandardPage, StoryIndexPage, StoryPage
from .settings import BrandSettings
from .snippets import BrandText

__all__ = [
    "BrandSettings",
    "BrandText",
    "HomePage",
    "ImpactPage",
    "StandardPage",
    "StoryIndexPage",
    "StoryPage",
]
