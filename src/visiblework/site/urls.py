from django.contrib import admin
from django.urls import include, path

from visiblework.cases import exports, feeds, views_contribute
from visiblework.site.api import api

urlpatterns = [
    path("", include("visiblework.cases.urls")),
    path("contribute/", views_contribute.contribute, name="contribute"),
    path("contribute/track/<str:code>/", views_contribute.track, name="track"),
    path("review/", include("visiblework.review.urls")),
    path("", include("visiblework.reports.urls")),
    path("", include("visiblework.insights.urls")),
    path("feeds/cases.atom", feeds.CaseFeed(), name="feed-cases"),
    path("feeds/terms/<slug:taxonomy>/<slug:slug>.atom", feeds.TermFeed(), name="feed-term"),
    path("feeds/actors/<slug:slug>.atom", feeds.ActorFeed(), name="feed-actor"),
    path("export/cases.csv", exports.cases_csv, name="export-cases-csv"),
    path("export/cases.json", exports.cases_json, name="export-cases-json"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
