from django import template
from django.http import QueryDict

from visiblework.core.countries import country_name as _country_name
from visiblework.core.text import markdown_to_html

register = template.Library()


@register.filter
def markdown(text: str):
    return markdown_to_html(text)


@register.filter
def country_name(code: str) -> str:
    return _country_name(code)


@register.simple_tag(takes_context=True)
def query_toggle(context, key: str, value: str) -> str:
    """The current query string with key=value added, or removed if already there; the page
    and cursor are dropped because the result set changes."""
    params: QueryDict = context["request"].GET.copy()
    values = params.getlist(key)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    params.setlist(key, values)
    for volatile in ("cursor", "page"):
        params.pop(volatile, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_set(context, key: str, value) -> str:
    params: QueryDict = context["request"].GET.copy()
    if value in (None, ""):
        params.pop(key, None)
    else:
        params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def widget(field):
    """A form field's widget tied to its help text and its errors (aria-describedby), and
    marked invalid when it has errors, so screen readers announce both."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    attrs = {}
    if field.errors:
        ids.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)
