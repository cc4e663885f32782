"""Pages of voice: help (a helper builds this module; see issue 16)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


directory = organisation = suggest = _todo
HelpFeed = lambda: _todo  # noqa: E731
