"""The site's addresses with the cart's ``add`` route answered by a stand-in, for the product
pages' tests while the cart (catalogue.cart) is not wired into brand.urls: a product page's form
posts there, so the page needs the name to render."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path

from brand.urls import handler404, handler500  # noqa: F401
from brand.urls import urlpatterns as site_patterns


def stand_in(request):
    return HttpResponse(status=204)


cart_patterns = (
    [
        path("cart/", stand_in, name="detail"),
        path("cart/add/", stand_in, name="add"),
        path("cart/update/", stand_in, name="update"),
        path("cart/remove/", stand_in, name="remove"),
    ],
    "catalogue_cart",
)

urlpatterns = i18n_patterns(path("", include(cart_patterns)), prefix_default_language=True)
urlpatterns += site_patterns
