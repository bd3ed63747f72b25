"""{% page_fragment "name" part… %}…{% endpage_fragment %}: a piece of a public page kept in the
page cache under the current generation (see `podium.delivery.pagecache.kept_under`).

It only caches on a public address (`pagecache.is_public_address`: never a preview, the desk or
a profile page, which render the same templates with other content); elsewhere, or with the page
cache off, the piece is rendered every time. The key is the name, the parts and the active
language; nothing in the piece may depend on who is reading (no user, no CSRF token, no
message)."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils import translation

from podium.delivery import pagecache

register = template.Library()


class PageFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, parts: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context: Context) -> str:
        request = context.get("request")
        if request is None or not pagecache.is_public_address(request):
            return self.nodelist.render(context)
        name = "\n".join(
            [*(str(part.resolve(context)) for part in self.parts), translation.get_language()]
        )
        return pagecache.kept_under(
            pagecache.generation_for(request), name, lambda: self.nodelist.render(context)
        )


@register.tag("page_fragment")
def page_fragment(parser: Parser, token: Token) -> PageFragmentNode:
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("page_fragment needs a name")
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
