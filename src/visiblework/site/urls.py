"""The site's URLs: every prefix is served by one app (CONTRIBUTING.md lists them)."""

from django.contrib import admin
from django.urls import include, path

from . import views
from .api import api

# The API first: scripts ask for it most, and every pattern tried costs a little.
urlpatterns = [
    # The site's own API reference, in place of the stock Swagger UI (see site/api_reference.py).
    path("api/v1/docs", views.api_reference, name="api-reference"),
    path("api/v1/", api.urls),
    path("", include("visiblework.cases.urls")),
    path("", include("visiblework.reports.urls")),
    path("", include("visiblework.insights.urls")),
    path("", include("visiblework.voice.urls")),
    path("accounts/", include("visiblework.accounts.urls")),
    path("review/", include("visiblework.review.urls")),
    path("favicon.ico", views.favicon, name="favicon"),
    path("about/data-use/", views.data_use, name="data-use"),
    path("about/data/", views.reference_data, name="reference-data"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
