"""The shop's public addresses, under each language's prefix (``brand.urls``): each area's own
urls, namespaced ``catalogue_<area>``. Product and category pages are Wagtail pages."""

from django.urls import include, path

urlpatterns = [
    path("cart/", include("catalogue.cart.urls")),
    path("checkout/", include("catalogue.checkout.urls")),
    path("orders/", include("catalogue.orders.urls")),
    path("card/", include("catalogue.cards.urls")),
    path("orders/", include("catalogue.returns.urls")),
    path("quotes/", include("catalogue.quotes.urls")),
    path("orders/<str:token>/credit-notes/", include("catalogue.refunds.urls")),
]
