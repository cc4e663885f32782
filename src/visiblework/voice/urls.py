"""Voice serves /help/, /demands/, /consultations/ and /rights/ (CONTRIBUTING.md)."""

from django.urls import path

from . import views_consultations, views_demands, views_help, views_rights

app_name = "voice"
urlpatterns = [
    path("help/", views_help.directory, name="help"),
    path("help/feed.atom", views_help.HelpFeed(), name="help-feed"),
    path("help/suggest/", views_help.suggest, name="help-suggest"),
    path("help/<slug:slug>/", views_help.organisation, name="help-organisation"),
    path("demands/", views_demands.index, name="demands"),
    path("demands/new/", views_demands.propose, name="demand-new"),
    path("demands/<slug:public_id>/", views_demands.detail, name="demand"),
    path("demands/<slug:public_id>/support/", views_demands.support, name="demand-support"),
    path("demands/<slug:public_id>/answer/", views_demands.answer, name="demand-answer"),
    path("demands/<slug:public_id>/feed.atom", views_demands.DemandFeed(), name="demand-feed"),
    path("consultations/", views_consultations.index, name="consultations"),
    path("consultations/<slug:slug>/", views_consultations.detail, name="consultation"),
    path("consultations/<slug:slug>/vote/", views_consultations.vote, name="consultation-vote"),
    path("rights/", views_rights.rights, name="rights"),
    path("rights/follow-up/", views_rights.follow_up, name="rights-follow-up"),
]
