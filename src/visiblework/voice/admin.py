"""The editors' back office for voice: organisations' help profiles. Their facts change
through suggestions and corrections in the review queue (one check, with sources); here an
editor can hide an organisation from the directory or show it again."""

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from visiblework.core.audit import record
from visiblework.core.models import AuditAction

from .help import save_profile
from .models import HelpProfile


@admin.register(HelpProfile)
class HelpProfileAdmin(admin.ModelAdmin):
    list_display = ("actor", "published", "worldwide", "updated_on")
    list_filter = ("published", "worldwide")
    search_fields = ("actor__name",)
    list_select_related = ("actor",)
    fields = ("actor", "published", "summary", "worldwide", "countries", "languages",
              "task_types", "help_kinds", "justice_areas", "contacts", "sources", "updated_on")
    readonly_fields = ("actor", "summary", "worldwide", "countries", "languages", "task_types",
                       "help_kinds", "justice_areas", "contacts", "sources", "updated_on")
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # organisations come in through suggestions and the review queue

    @transaction.atomic
    def save_model(self, request, obj: HelpProfile, form, change: bool) -> None:
        save_profile(obj)  # keeps the directory's facets in step
        record(request.user, AuditAction.EDIT, obj,
               str(_("Help profile of %(name)s: published %(published)s"))
               % {"name": obj.actor.name, "published": obj.published})
