from django.urls import path

from . import (
    views,
    views_actors,
    views_cases,
    views_duplicates,
    views_releases,
    views_representatives,
)

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("spam/", views.spam, name="spam"),
    path("audit/", views.audit_log, name="audit"),
    path("reports/", views.reports_queue, name="reports"),
    path("reports/<int:pk>/text/", views.report_text, name="report-text"),
    path("flags/", views.flags_queue, name="flags"),
    path("flags/<int:pk>/resolve/", views.resolve_flag, name="resolve-flag"),
    path("contributions/<int:pk>/", views.detail, name="detail"),
    path("contributions/<int:pk>/claim/", views.claim, name="claim"),
    path("contributions/<int:pk>/accept/", views.accept, name="accept"),
    path("contributions/<int:pk>/reject/", views.reject, name="reject"),
    path("cases/<int:case_id>/retract/", views_cases.retract, name="retract"),
    path("cases/<int:case_id>/revisions/<int:number>/revert/", views_cases.revert,
         name="revert"),
    path("actors/duplicates/", views_actors.duplicates, name="actor-duplicates"),
    path("actors/duplicates/merge/", views_actors.merge, name="actor-merge"),
    path("actors/duplicates/dismiss/", views_actors.dismiss, name="actor-dismiss"),
    path("duplicates/", views_duplicates.duplicates_page, name="duplicates"),
    path("duplicates/search/", views_duplicates.search, name="duplicates-search"),
    path("duplicates/<int:pk>/merge/", views_duplicates.merge, name="duplicates-merge"),
    path("duplicates/<int:pk>/dismiss/", views_duplicates.dismiss, name="duplicates-dismiss"),
    path("representatives/", views_representatives.representatives, name="representatives"),
    path("representatives/<int:pk>/decide/", views_representatives.decide,
         name="representative-decide"),
    path("releases/", views_releases.releases_page, name="releases"),
    path("releases/<slug:label>/publish/", views_releases.publish, name="release-publish"),
]
