from django.urls import path

from . import views, views_public

app_name = "reports"
urlpatterns = [
    path("reports/new/", views.new_report, name="new"),
    path("reports/receipt/", views.receipt, name="receipt"),
    path("reports/<slug:public_id>/", views.mine, name="mine"),
    path("reports/<slug:public_id>/edit/", views.edit, name="edit"),
    path("reports/<slug:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("reports/<slug:public_id>/forget/", views.forget, name="forget"),
    path("reviews/<slug:public_id>/flag/", views_public.flag, name="flag"),
    path("replies/<slug:slug>/", views_public.reply, name="reply"),
]
