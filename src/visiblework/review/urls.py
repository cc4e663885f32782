from django.urls import path

from visiblework.cases import views_history

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("spam/", views.spam, name="spam"),
    path("audit/", views.audit_log, name="audit"),
    path("contributions/<int:pk>/", views.detail, name="detail"),
    path("contributions/<int:pk>/claim/", views.claim, name="claim"),
    path("contributions/<int:pk>/accept/", views.accept, name="accept"),
    path("contributions/<int:pk>/reject/", views.reject, name="reject"),
    path("cases/<int:case_id>/retract/", views_history.retract, name="retract"),
    path("cases/<int:case_id>/revisions/<int:number>/revert/", views_history.revert,
         name="revert"),
]
