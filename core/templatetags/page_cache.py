"""``{% chrome "name" [value …] %}…{% endchrome %}``: a piece of a page that is the same for
every visitor, rendered once per host, language, cache generation and ``name`` with the values
that follow it (``core.page_cache.remember``): the footer of a language (``{% chrome "footer"
%}``), a page's head or a product page's main part (``{% chrome "product-page" page.pk %}``).
Rendered every time when the page cache is off, and when a value is empty or missing (a view
that is no Wagtail page has no ``page.pk``). What is inside must not depend on the visitor (no
CSRF token, no cart, no session) nor on the query string, and a variable set inside is not
seen after it."""

from django import template

from core.page_cache import remember

register = template.Library()


class ChromeNode(template.Node):
    def __init__(self, name: str, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        values = [value.resolve(context) for value in self.values]
        if any(value in (None, "") for value in values):  # e.g. no page: a view of its own
            return self.nodelist.render(context)
        name = ":".join([self.name, *map(str, values)])
        return remember(name, request, lambda: self.nodelist.render(context))


@register.tag
def chrome(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% chrome "name" [value …] %}…{% endchrome %}.')
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1][1:-1], values, nodelist)
