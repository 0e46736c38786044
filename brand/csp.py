"""The Content Security Policy: strict on public pages, with what Wagtail's admin needs added for
the back office: it sets inline style attributes, runs a few inline scripts (the page editor,
previews) and previews uploads from ``blob:`` URLs. The back office is reached only by signed-in
staff with a second factor, and its pages are never cached."""

from csp.middleware import CSPMiddleware, PolicyParts

from brand.admin_paths import is_admin_request

ADMIN_ADDITIONS = {
    "style-src": ["'unsafe-inline'"],
    "script-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}


class BridgeworkCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None and is_admin_request(request):
            parts.update = ADMIN_ADDITIONS
        return parts
