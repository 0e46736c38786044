"""Finding a category or a product below the shop's page in one query.

Wagtail routes a request one level at a time, two queries a level (the child, then its specific
page). Below a shop the levels are known (a category, then a product), so the page is found by
its ``url_path`` in its own model's table: one query, which keeps a product page's query count
low whatever the tree's depth (the issue's budget for a cold product page).
"""

from django.http import Http404
from wagtail.url_routing import RouteResult

from catalogue.models import CategoryPage, ProductPage

MODEL_AT = {1: CategoryPage, 2: ProductPage}  # by how many levels below the shop


def route_below(shop, request, path_components) -> RouteResult:
    """What Wagtail's ``Page.route`` answers for ``path_components`` below ``shop``: the live
    page there, or ``Http404``."""
    model = MODEL_AT.get(len(path_components))
    if model is None:
        raise Http404
    url_path = shop.url_path + "".join(f"{slug}/" for slug in path_components)
    page = (
        model.objects.filter(
            url_path=url_path, path__startswith=shop.path, depth=shop.depth + len(path_components)
        )
        .select_related("locale")
        .first()
    )
    if page is None or not page.live:
        raise Http404
    return page.route(request, [])
