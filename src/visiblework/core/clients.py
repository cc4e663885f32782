"""Who is asking: the client's address, taken from a configured number of trusted proxies,
and its peppered hash (the only form in which it is ever stored, for a day at most)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

from .pepper import pepper

MAX_ADDRESS_LENGTH = 100


def client_address(request: HttpRequest) -> str:
    """The client's address.

    With VISIBLEWORK_TRUSTED_PROXIES = N > 0, the Nth address from the right of
    X-Forwarded-For: each trusted proxy appends the address it was reached from, so what
    stands left of that was written by the client and proves nothing. A header with fewer
    entries (a request that did not come through the proxies) falls back to REMOTE_ADDR, as
    does N = 0, which ignores the header. An IPv6 address stands for its /64 network, which
    one subscriber usually holds whole."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.VISIBLEWORK_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return _normalise(address[:MAX_ADDRESS_LENGTH])


def _normalise(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def peppered(text: str) -> str:
    """HMAC-SHA256 of `text` with today's pepper, in hexadecimal."""
    return hmac.new(pepper(), text.encode(), hashlib.sha256).hexdigest()


def hashed_client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (AXES_CLIENT_IP_CALLABLE): a peppered
    hash, so that login-throttling rows hold no recoverable address."""
    return peppered(f"client|{client_address(request)}")[:40]
