from django.urls import path

from . import views, views_history

app_name = "cases"
# Editors' actions on a case (revert, retract) live under /review/ (see review/urls.py).
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.browse, name="browse"),
    path("cases/<int:case_id>/", views.case_redirect, name="detail-short"),
    path("cases/<int:case_id>/<slug:slug>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/<slug:slug>/history/", views_history.history, name="history"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
]
