from .pages import HomePage, ImpactPage, StandardPage, StoryIndexPage, StoryPage
from .security import StaffSession
from .settings import BrandSettings
from .snippets import BrandText

__all__ = [
    "BrandSettings",
    "BrandText",
    "HomePage",
    "ImpactPage",
    "StaffSession",
    "StandardPage",
    "StoryIndexPage",
    "StoryPage",
]
