"""``{% chrome "name" %}…{% endchrome %}``: a piece of the site's chrome (the footer) that is the
same on every page of a language, rendered once per host, language and cache generation
(core.page_cache.remember); rendered every time when the page cache is off."""

from django import template

from core.page_cache import remember

register = template.Library()


class ChromeNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        return remember(self.name, request, lambda: self.nodelist.render(context))


@register.tag
def chrome(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% chrome "name" %}…{% endchrome %}.')
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1][1:-1], nodelist)
