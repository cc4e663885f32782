from django.urls import path
from django.views.generic import RedirectView

from . import exports, feeds, views, views_actors, views_citations, views_contribute, views_history

app_name = "cases"
# Editors' actions on a case (revert, retract) live under /review/ (see review/urls.py).
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.browse, name="browse"),
    path("cases/cite.<str:fmt>", views_citations.list_citation, name="browse-citation"),
    path("cases/<int:case_id>/", views.case_redirect, name="detail-short"),
    path("cases/<int:case_id>/cite.<str:fmt>", views_citations.case_citation, name="case-citation"),
    path("cases/<int:case_id>/<slug:slug>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/<slug:slug>/history/", views_history.history, name="history"),
    path("actors/", views_actors.index, name="actors"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    # The addresses of scorecards and disclosure cards before they moved to insights' own.
    path("actors/<slug:slug>/scorecard/", RedirectView.as_view(url="/scorecards/%(slug)s/",
                                                               permanent=True)),
    path("actors/<slug:slug>/disclosure/", RedirectView.as_view(url="/disclosures/%(slug)s/",
                                                                permanent=True)),
    path("actors/<slug:slug>/disclosure.<str:fmt>",
         RedirectView.as_view(url="/disclosures/%(slug)s.%(fmt)s", permanent=True)),
    path("contribute/", views_contribute.contribute, name="contribute"),
    path("contribute/track/<str:code>/", views_contribute.track, name="track"),
    path("feeds/cases.atom", feeds.CaseFeed(), name="feed-cases"),
    path("feeds/terms/<slug:taxonomy>/<slug:slug>.atom", feeds.TermFeed(), name="feed-term"),
    path("feeds/actors/<slug:slug>.atom", feeds.ActorFeed(), name="feed-actor"),
    path("export/cases.csv", exports.cases_csv, name="export-cases-csv"),
    path("export/cases.json", exports.cases_json, name="export-cases-json"),
    path("export/mapping.toml", exports.mapping, name="export-mapping"),
]
