"""Template filters of the desk's admin pages."""

from django import template

from core.links import safe_url

register = template.Library()


@register.filter
def web_url(url: str) -> str:
    """The address if it is http(s), else an empty string: no ``javascript:`` links."""
    return safe_url(url)
