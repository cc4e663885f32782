from django.urls import path

from . import views, views_accounts, views_public

app_name = "reports"
urlpatterns = [
    path("reports/new/", views.new_report, name="new"),
    path("reports/receipt/", views.receipt, name="receipt"),
    path("reports/<slug:public_id>/", views.mine, name="mine"),
    path("reports/<slug:public_id>/edit/", views.edit, name="edit"),
    path("reports/<slug:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("reports/<slug:public_id>/forget/", views.forget, name="forget"),
    path("reviews/<slug:public_id>/flag/", views_public.flag, name="flag"),
    path("actors/<slug:slug>/reply/", views_public.reply, name="reply"),
    path("about/data-use/", views_public.data_use, name="data-use"),
    path("accounts/signup/", views_accounts.signup, name="signup"),
    path("accounts/login/", views_accounts.WorkerLoginView.as_view(), name="login"),
    path("accounts/logout/", views_accounts.logout_view, name="logout"),
    path("accounts/recover/", views_accounts.recover, name="recover"),
    path("accounts/me/", views_accounts.me, name="me"),
    path("accounts/delete/", views_accounts.delete_account, name="delete"),
]
