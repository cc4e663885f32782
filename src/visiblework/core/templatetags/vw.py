from decimal import InvalidOperation

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext

from visiblework.core import formats
from visiblework.core.countries import country_name as _country_name
from visiblework.core.text import markdown_to_html
from visiblework.core.versioned import VersionedCache

register = template.Library()


@register.filter
def markdown(text: str):
    return markdown_to_html(text)


@register.filter
def country_name(code: str) -> str:
    return _country_name(code)


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


@register.simple_tag
def required_mark(field) -> str:
    """ " (required)" after the label of a field the form needs, shown and read aloud; nothing
    for another field. The widget says it too (`required`)."""
    if not field.field.required:
        return ""
    return format_html(' <span class="required">({})</span>',
                       pgettext("form field", "required"))


@register.simple_tag
def label(field):
    """A field's <label>, with the required mark inside it."""
    mark = required_mark(field)
    if not mark:
        return field.label_tag()
    return field.label_tag(contents=format_html("{}{}", field.label, mark))


# --- Numbers in the reader's language (see visiblework.core.formats) ---------------------------


# Like Django's own filters, these fail quietly: a value that is not a number is shown as it is.
NOT_A_NUMBER = (InvalidOperation, TypeError, ValueError)


@register.filter
def money(amount, arg="USD") -> str:
    """{{ amount|money }} in US dollars, {{ amount|money:wage.currency }} in another
    currency, {{ amount|money:4 }} in US dollars with four decimals."""
    try:
        if isinstance(arg, int):
            return formats.money(amount, "USD", digits=arg)
        return formats.money(amount, str(arg or "USD"))
    except NOT_A_NUMBER:
        return amount


@register.filter
def number(value, digits=0) -> str:
    """{{ count|number }}: 1,234 / 1 234; {{ value|number:2 }}: 14.50 / 14,50;
    {{ epsilon|number:None }}: the decimals the value has, 1.0 / 1,0."""
    try:
        return formats.number(value, None if digits is None else int(digits))
    except NOT_A_NUMBER:
        return value


@register.filter
def listing(items) -> str:
    """{{ names|listing }}: a list in the reader's language ("a, b and c", "a، b وc")."""
    return formats.join(list(items or []))


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@register.filter
def small_number(value) -> str:
    """{{ delta|small_number }}: a privacy parameter as people write it: 0, 10⁻⁶, 2 × 10⁻⁷
    (not 1e-06); values of 0.001 and above as plain numbers."""
    try:
        x = float(value)
    except NOT_A_NUMBER:
        return value
    if x == 0:
        return "0"
    if abs(x) >= 1e-3:
        return formats.number(x, None)
    text, exponent = f"{x:.1e}".split("e")
    power = "10" + str(int(exponent)).translate(SUPERSCRIPT)
    mantissa = float(text)
    if mantissa == 1:
        return power
    return f"{formats.number(mantissa, 0 if mantissa.is_integer() else 1)} × {power}"


@register.filter
def percent(share, digits=0) -> str:
    """{{ share|percent }}: a share between 0 and 1 as 25% / 25 %."""
    try:
        return formats.percent(share, int(digits))
    except NOT_A_NUMBER:
        return share


@register.filter
def when(value, arg="") -> str:
    """{{ case.date|when }}: a date, or a partial date ("2019-05"), the one way the reader's
    language writes dates: 7 May 2019 / May 2019; {{ moment|when:"time" }} adds the hour."""
    return formats.when(value, time=arg == "time")


@register.simple_tag
def quarter(year, q) -> str:
    """{% quarter report.year report.quarter %}: Q2 2023 / T2 2023."""
    return formats.quarter(year, q)


@register.simple_tag(takes_context=True)
def render_sections(context, sections):
    """Render the sections an app's page was given (core/sections.py), each with its own
    context plus the request's."""
    request = context.get("request")
    return mark_safe("".join(  # noqa: S308  (templates escape what they show)
        render_to_string(s.template, s.context, request=request) for s in sections))


@register.simple_tag
def scroll_region(name, *more) -> str:
    """{% scroll_region _("Every assumption") %}…</table></div>: the opening of a box a wide
    table scrolls in on a narrow screen (never the page), focusable so that a keyboard can
    scroll it, and named "Table: …" so that its landmark differs from the section around it."""
    label = " ".join(str(part) for part in (name, *more) if part not in (None, ""))
    return format_html('<div class="table-scroll" role="region" tabindex="0" aria-label="{}">',
                       gettext("Table: %(name)s") % {"name": label})


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308  (already escaped by the template)
        return ""


@register.tag
def capture(parser, token):
    """{% capture as page_title %}{% block title %}…{% endblock %}{% endcapture %}: renders its
    content (blocks included) once into a variable, so a page's title can appear both in
    <title> and in the Open Graph tags."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


# Parts of every page that are the same for every anonymous reader in one language (the
# site's navigation, its footer): rendered once per process and language. Their 30-odd
# `{% url %}` and `{% translate %}` tags cost about a millisecond a page.
_same_parts: VersionedCache[str] = VersionedCache("same-for-anonymous", 64)


class SameForAnonymousNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        user = context.get("user")
        if user is not None and user.is_authenticated:
            return self.nodelist.render(context)
        key = (self.name, get_language(), get_script_prefix())
        return _same_parts.get(0, key, lambda: mark_safe(  # noqa: S308  (escaped by the template)
            self.nodelist.render(context)))


@register.tag
def same_for_anonymous(parser, token):
    """{% same_for_anonymous "name" %}…{% end_same_for_anonymous %}: markup that, for a reader
    who is not signed in, depends on nothing but the language (no request, no page): kept
    once rendered. For a signed-in reader it is rendered every time."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            'usage: {% same_for_anonymous "name" %}…{% end_same_for_anonymous %}')
    nodelist = parser.parse(("end_same_for_anonymous",))
    parser.delete_first_token()
    return SameForAnonymousNode(nodelist, bits[1][1:-1])
