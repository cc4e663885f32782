"""No secret and no client address in any log line.

Receipt codes, contribution tracking codes, recovery codes and idempotency keys are
passwords (DESIGN.md, privacy model 8). Django logs every 4xx and 5xx with its path
("Not Found: /api/v1/reports/<receipt>"), tracebacks repeat it, and gunicorn logs the
request line of a request it could not handle and the address of a malformed one. Rather
than hope that no line ever carries one, every log handler (settings.LOGGING, and gunicorn's
through site/server.py) runs `RedactSecrets`, which rewrites a record before it is
written:

- the tail of a path whose tail is a secret (`SECRET_PATH_PREFIXES`), and the query string
  of any path;
- anything shaped like a receipt code, a tracking code, a recovery code or a UUID (the
  shape of the web form's idempotency keys);
- the values a request carried in its Idempotency-Key header and in its secret form fields
  (`SECRET_FIELDS`, a rights letter's name, e-mail and details among them), when the record
  holds the request (Django's request log does);
- IP addresses, except loopback ones (the local proxy or database).

It rewrites the message with its arguments, the traceback text and the stack text. Too much
is replaced rather than too little: a 24-character identifier in a traceback may show as
`[redacted]`.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"

# Paths whose last part is a secret: a report's receipt in the API, a contribution's tracking
# code, and the receipt page (which takes the code in a form today; kept in case it ever
# takes it in the address).
SECRET_PATH_PREFIXES = ("api/v1/reports/", "contribute/track/", "reports/receipt/")
# Form fields whose values are secrets.
SECRET_FIELDS = ("idempotency_key", "receipt", "code", "password", "password1", "password2",
                 "new_password", "new_password1", "new_password2", "old_password",
                 # A rights letter's personal fields (voice: /rights/).
                 "name", "email", "details")
# Request headers whose values are secrets (as Django names them in request.META).
SECRET_HEADERS = ("HTTP_IDEMPOTENCY_KEY", "HTTP_AUTHORIZATION")
# Values shorter than this are not searched for (an empty or one-letter field).
MIN_SECRET_LENGTH = 4

_PATH = re.compile(
    r"(?<![A-Za-z0-9_.-])(/?(?:" + "|".join(re.escape(p) for p in SECRET_PATH_PREFIXES)
    + r"))([^/\s\"'?#<>]+)", re.IGNORECASE)
_QUERY = re.compile(r"(/[^\s\"'?#<>]*)\?[^\s\"'#<>]+")
_SHAPES = [
    # Receipt codes: four groups of four base32 characters (reports/services.py).
    re.compile(r"(?<![A-Za-z0-9_-])[A-Z2-7]{4}(?:-[A-Z2-7]{4}){3}(?![A-Za-z0-9_-])"),
    # Recovery codes: two groups of six hexadecimal digits (accounts/workers.py).
    re.compile(r"(?<![A-Za-z0-9_-])[0-9a-f]{6}-[0-9a-f]{6}(?![A-Za-z0-9_-])", re.IGNORECASE),
    # Tracking codes of contributions since 2026-12: six groups of four of an alphabet
    # without look-alikes (cases/contributions.py TRACKING_ALPHABET), as shown and as typed.
    re.compile(r"(?<![A-Za-z0-9_-])[a-km-z2-9]{4}(?:[- ]?[a-km-z2-9]{4}){5}(?![A-Za-z0-9_-])",
               re.IGNORECASE),
    # UUIDs, with or without dashes: the web form's idempotency keys, and what API clients
    # are told to send (docs/api.md).
    re.compile(r"(?<![A-Za-z0-9_-])[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?"
               r"[0-9a-f]{12}(?![A-Za-z0-9_-])", re.IGNORECASE),
]
# Tracking codes: secrets.token_urlsafe(18), 24 URL-safe characters (cases/contributions.py).
# A snake_case or CONSTANT_CASE name of that length is left alone (a random code looks like
# one about once in a billion times).
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24}(?![A-Za-z0-9_-])")
_NAME = re.compile(r"[a-z_]+|[A-Z_]+")
_IPV4 = re.compile(r"(?<![0-9.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9])")
_IPV6 = re.compile(r"(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])")


def _address(match: re.Match) -> str:
    text = match.group(0)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:  # a time of day, a version number: not an address
        return text
    return text if address.is_loopback else REDACTED


def _token(match: re.Match) -> str:
    text = match.group(0)
    return text if _NAME.fullmatch(text) else REDACTED


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret-bearing path, secret-shaped value, IP address and each of
    `secrets` replaced by [redacted]."""
    if not text:
        return text
    for secret in sorted({s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH},
                         key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _PATH.sub(lambda m: m.group(1) + REDACTED, text)
    text = _QUERY.sub(lambda m: m.group(1) + "?" + REDACTED, text)
    for shape in _SHAPES:
        text = shape.sub(REDACTED, text)
    text = _TOKEN.sub(_token, text)
    text = _IPV4.sub(_address, text)
    return _IPV6.sub(_address, text)


def request_secrets(request) -> list[str]:
    """The secret values a Django request carries: headers, cookies, a secret path's tail,
    and form fields once parsed (a log filter must not read a body the view has not read)."""
    if request is None:
        return []
    meta = getattr(request, "META", None) or {}
    values = [str(meta.get(name, "")) for name in SECRET_HEADERS]
    values += [str(v) for v in (getattr(request, "COOKIES", None) or {}).values()]
    path = str(getattr(request, "path", "") or "")
    values += [m.group(2) for m in _PATH.finditer(path)]
    post = getattr(request, "_post", None)  # set only once the view has read the form
    if post is not None:
        for field in SECRET_FIELDS:
            values.extend(str(v) for v in post.getlist(field, []))
    return [value.strip() for value in values if value and value.strip()]


def redact_record(record: logging.LogRecord) -> None:
    """Rewrite a record in place: its message (with arguments), traceback and stack."""
    if getattr(record, "_visiblework_redacted", False):
        return
    secrets = request_secrets(getattr(record, "request", None))
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep the format, drop the arguments
        message = str(record.msg)
    record.msg = redact(message, secrets)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    # From here on only the redacted text of the exception is available to handlers.
    record.exc_info = None
    if record.exc_text:
        record.exc_text = redact(record.exc_text, secrets)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, secrets)
    record._visiblework_redacted = True


class RedactSecrets(logging.Filter):
    """A logging filter that lets every record through, redacted (see the module)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install(handlers: Iterable[logging.Handler]) -> None:
    """Add the filter to handlers made outside settings.LOGGING (gunicorn's)."""
    for handler in handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
