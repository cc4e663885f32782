from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.browse, name="browse"),
    path("cases/<int:case_id>/", views.case_redirect, name="detail-short"),
    path("cases/<int:case_id>/<slug:slug>/", views.case_detail, name="detail"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
]
