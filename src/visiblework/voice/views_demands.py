"""Pages of voice: demands (a helper builds this module; see issue 16)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


index = propose = detail = support = answer = _todo
DemandFeed = lambda: _todo  # noqa: E731
