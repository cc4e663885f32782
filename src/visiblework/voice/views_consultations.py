"""Pages of voice: consultations (a helper builds this module; see issue 16)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


index = detail = vote = _todo
