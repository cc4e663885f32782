"""Editors see raw reports (they moderate them) and verify representatives."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from visiblework.core.audit import record
from visiblework.core.models import AuditAction

from .models import Flag, Reply, Report, Representation


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "platform", "platform_name", "task_type", "country", "year", "quarter",
                    "status")
    list_filter = ("status", "task_type", "year")
    search_fields = ("platform__name", "platform_name", "client_name")
    autocomplete_fields = ("platform", "client")
    list_per_page = 50
    show_full_result_count = False
    exclude = ("receipt_hash", "idempotency_hash")
    readonly_fields = ("worker", "received_month", "effective_hourly", "nominal_hourly",
                       "unpaid_share", "effective_hourly_usd", "effective_hourly_ppp")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(request.user, AuditAction.EDIT, obj, _("report edited in the back office"))


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("id", "report", "reason", "created_on", "resolved")
    list_filter = ("resolved", "reason")


@admin.register(Representation)
class RepresentationAdmin(admin.ModelAdmin):
    list_display = ("user", "actor", "status", "verified_by", "requested_on", "decided_on")
    list_filter = ("status",)
    autocomplete_fields = ("actor",)
    readonly_fields = ("verified_by",)

    def save_model(self, request, obj, form, change):
        if obj.verified and obj.verified_by_id is None:
            obj.verified_by = request.user
        super().save_model(request, obj, form, change)
        record(request.user, AuditAction.EDIT, obj,
               f"representative {obj.user} for {obj.actor}: verified={obj.verified}")


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("actor", "author", "updated_on")
