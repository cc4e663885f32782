from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/company/", views.signup_company, name="signup-company"),
    path("login/", views.WorkerLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("recover/", views.recover, name="recover"),
    path("me/", views.me, name="me"),
    path("delete/", views.delete_account, name="delete"),
]
