from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.insights, name="insights"),
    path("insights/worth/", views.worth, name="worth"),
    path("releases/<slug:label>/", views.release_page, name="release"),
    path("releases/<slug:label>/cells.<str:fmt>", views.release_cells_download, name="cells"),
    path("actors/<slug:slug>/scorecard/", views.scorecard, name="scorecard"),
    path("actors/<slug:slug>/disclosure/", views.disclosure, name="disclosure"),
    path("actors/<slug:slug>/disclosure/edit/", views.disclosure_edit, name="disclosure-edit"),
    path("actors/<slug:slug>/disclosure.<str:fmt>", views.disclosure, name="disclosure-file"),
]
