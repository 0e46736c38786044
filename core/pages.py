"""``ServedPage``: the base of every page type of the site, for what serving it needs of Wagtail's
pages beyond their fields.

``served_view_restrictions``, when the server set it (``brand.serving``, from the route kept per
cache generation), answers ``get_view_restrictions`` without its two queries; otherwise Wagtail
reads them as always.
"""

from wagtail.models import Page


class ServedPage(Page):
    served_view_restrictions = None

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        if self.served_view_restrictions is not None:
            return self.served_view_restrictions
        return super().get_view_restrictions()
