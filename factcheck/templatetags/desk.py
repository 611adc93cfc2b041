"""Template filters of the desk's admin pages."""

from django import template

from factcheck.admin.panels import web_url as _web_url

register = template.Library()


@register.filter
def web_url(url: str) -> str:
    """The address if it is http(s), else an empty string: no ``javascript:`` links."""
    return _web_url(url or "")
