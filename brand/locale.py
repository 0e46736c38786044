"""Django's LocaleMiddleware, except under the addresses that live outside the language prefixes
and answer their own 404s (the neutral certificate verification, ``/verify/``). Django would
redirect such a 404 to the language-prefixed address, where the brand's catch-all pages answer
with the brand's 404: a verification address must never lead to the brand site."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

OWN_NOT_FOUND_PREFIXES = ("/verify/",)


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(OWN_NOT_FOUND_PREFIXES):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
