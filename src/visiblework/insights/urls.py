from django.urls import path

from . import views, views_method

app_name = "insights"
urlpatterns = [
    path("insights/", views.insights, name="insights"),
    path("insights/worth/", views.worth, name="worth"),
    path("insights/method/", views_method.method_changes, name="method-changes"),
    path("releases/<slug:label>/", views.release_page, name="release"),
    path("releases/<slug:label>/cells.<str:fmt>", views.release_cells_download, name="cells"),
    path("releases/<slug:label>/privacy.json", views.release_privacy_download, name="privacy"),
    path("compare/", views.compare_page, name="compare"),
    path("scorecards/", views.scorecard_index, name="scorecards"),
    path("scorecards/<slug:slug>/", views.scorecard, name="scorecard"),
    path("disclosures/<slug:slug>/", views.disclosure, name="disclosure"),
    path("disclosures/<slug:slug>/edit/", views.disclosure_edit, name="disclosure-edit"),
    path("disclosures/<slug:slug>.<str:fmt>", views.disclosure, name="disclosure-file"),
]
