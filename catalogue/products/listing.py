"""A shop's or a category's page of products: filters, sorting, search and pages of results.

Every parameter comes from the query string and may be anything a visitor or a crawler types:
a parameter that is not valid (not a number, negative, huge, an unknown choice) is left out of
the filtering and the form says why beside its field, so a bad address never fails the page.
The reads are a fixed number of queries whatever the size of the catalogue (``selectors``).
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from catalogue.models import CategoryPage, ProductPage
from catalogue.products import selectors
from core.search_text import plain_words

PER_PAGE = (24, 48)
MAX_PRICE = Decimal("1000000")
MAX_QUERY_LENGTH = 100
MAX_SEARCH_RESULTS = 1000
CARD_IMAGE = "fill-600x600"
FILTERS = ("category", "trade", "min_price", "max_price", "in_stock", "sort", "per_page")
# A product without variants has no price: last either way, on SQLite as on PostgreSQL.
SORTS = {
    "new": (F("first_published_at").desc(nulls_last=True), "-pk"),
    "price": (F("min_price").asc(nulls_last=True), "pk"),
    "-price": (F("min_price").desc(nulls_last=True), "pk"),
}


class ListingForm(forms.Form):
    """The listing's filters as a visitor sends them (GET); every field is optional."""

    q = forms.CharField(label=_("Search products"), required=False, max_length=MAX_QUERY_LENGTH)
    category = forms.ChoiceField(label=_("Category"), required=False)
    trade = forms.ChoiceField(label=_("Trade"), required=False)
    min_price = forms.DecimalField(
        label=_("Lowest price"), required=False, min_value=0, max_value=MAX_PRICE, max_digits=10
    )
    max_price = forms.DecimalField(
        label=_("Highest price"), required=False, min_value=0, max_value=MAX_PRICE, max_digits=10
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("new", _("Newest first")),
            ("price", _("Price, lowest first")),
            ("-price", _("Price, highest first")),
        ],
    )
    per_page = forms.TypedChoiceField(
        label=_("Products per page"),
        required=False,
        coerce=int,
        empty_value=PER_PAGE[0],
        choices=[(number, str(number)) for number in PER_PAGE],
    )

    def __init__(self, data, *, categories, trades):
        super().__init__(data)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (category.slug, category.title) for category in categories
        ]
        self.fields["trade"].choices = [("", _("All trades"))] + [
            (slug, name) for slug, name in trades
        ]
        if not categories:
            del self.fields["category"]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price is below the lowest price."))
        return data

    def valid(self, name: str):
        """A field's cleaned value, or None when it was left empty or is not valid."""
        return self.cleaned_data.get(name) if name not in self.errors else None


def _searched(query: str, locale_id: int) -> list[int]:
    """The ids of live products in the language that match ``query`` (Wagtail search)."""
    words = plain_words(query)
    if not words:
        return []
    results = (
        ProductPage.objects.live()
        .filter(locale_id=locale_id)
        .search(words, operator="and", order_by_relevance=False)
    )
    return [page.pk for page in results[:MAX_SEARCH_RESULTS]]


def listing_context(request, *, shop, category) -> dict:
    """The context of a shop's page (``category`` None) or a category's page: the filter form,
    the categories, and one page of product cards."""
    scope = category or shop
    language = getattr(request, "LANGUAGE_CODE", None) or selectors.default_language()
    products = selectors.live_products(scope, locale_id=scope.locale_id)
    trades = selectors.trade_names(
        products.order_by().values("trade_id").distinct(), language=language
    )
    categories = []
    if shop is not None:
        categories = list(
            CategoryPage.objects.child_of(shop).live().exclude(selectors.restricted())
        )
    form = ListingForm(
        request.GET,
        categories=categories if category is None else [],
        trades=list(trades.values()),
    )
    form.is_valid()
    query = (form.valid("q") or "").strip()
    products = _filtered(products, form, categories=categories, trades=trades)
    if query:
        products = products.filter(pk__in=_searched(query, scope.locale_id))
    paginator = Paginator(
        products.order_by(*SORTS[form.valid("sort") or "new"]).defer("description"),
        form.valid("per_page") or PER_PAGE[0],
    )
    page = paginator.get_page(request.GET.get("page"))
    listed = list(page.object_list)
    images = selectors.images_by_product(
        [product.translation_key for product in listed], (CARD_IMAGE,)
    )
    return {
        "filters": form,
        "query": query,
        "categories": categories,
        "current_category": category,
        "products": page,
        "cards": [_card(product, trades, images, request, language) for product in listed],
        "querystring": _querystring(request),
        "filtered": any(request.GET.get(name) for name in FILTERS),
    }


def _filtered(products, form: ListingForm, *, categories, trades):
    if chosen := (form.valid("category") if "category" in form.fields else None):
        category = next(page for page in categories if page.slug == chosen)
        products = products.filter(path__startswith=category.path)
    if chosen := form.valid("trade"):
        ids = [pk for pk, (slug, _name) in trades.items() if slug == chosen]
        products = products.filter(trade_id__in=ids)
    if (low := form.valid("min_price")) is not None:
        products = products.filter(min_price__gte=low)
    if (high := form.valid("max_price")) is not None:
        products = products.filter(min_price__lte=high)
    if form.valid("in_stock"):
        products = products.filter(in_stock=True)
    return products


def _card(product, trades, images, request, language) -> dict:
    """What a product's card shows: nothing of a person, only the product and its trade."""
    pictures = images.get(product.translation_key, [])
    picture = pictures[0] if pictures else None
    trade = trades.get(product.trade_id)
    return {
        "page": product,
        "url": product.get_url(request),
        "price": Money(product.min_price, settings.BRIDGEWORK_CURRENCY)
        if product.min_price is not None
        else None,
        "in_stock": product.in_stock,
        "trade": trade[1] if trade else "",
        "image": picture.image if picture else None,
        "alt": picture.alt_in(language) if picture else "",
    }


def _querystring(request) -> str:
    """The query string without ``page``, for the pagination's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
