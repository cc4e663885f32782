"""The editors' back office for cases, actors, taxonomies and sources."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from visiblework.core.audit import record
from visiblework.core.models import AuditAction

from .editing import merge_actors, retract_case, write_revision
from .models import (
    Actor,
    ActorAlias,
    ActorLink,
    Case,
    CaseActor,
    CaseCountry,
    Source,
    Taxonomy,
    Term,
)

admin.site.site_header = _("Visible Work: editors")
admin.site.site_title = _("Visible Work")
admin.site.index_title = _("Back office")


class SourceInline(admin.StackedInline):
    model = Source
    extra = 1
    fields = (("order", "date"), "title", ("publisher", "authors"), "url", "archived_url")


class CaseActorInline(admin.TabularInline):
    model = CaseActor
    extra = 1
    autocomplete_fields = ("actor",)


class CaseCountryInline(admin.TabularInline):
    model = CaseCountry
    extra = 1


class CaseAdminForm(forms.ModelForm):
    change_summary = forms.CharField(
        label=_("Summary of this change"), max_length=300, required=False,
        help_text=_("Shown in the case's public history, e.g. 'Added the TIME source'."))

    class Meta:
        model = Case
        fields = ["title", "slug", "status", "year", "date", "summary", "body", "terms"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    form = CaseAdminForm
    actions = ("retract_selected",)
    list_display = ("id", "title", "year", "status", "updated_at")
    list_filter = ("status", "year", "terms__taxonomy")
    search_fields = ("title", "summary", "external_id")
    list_per_page = 50
    show_full_result_count = False
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("terms",)
    readonly_fields = ("created_at", "updated_at", "published_at", "external_id")
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", ("year", "date"), "summary", "body",
                           "change_summary")}),
        (_("Classification"), {"fields": ("terms",)}),
        (_("Record"), {"fields": ("external_id", "created_at", "updated_at", "published_at")}),
    )
    inlines = (CaseActorInline, CaseCountryInline, SourceInline)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

    def save_model(self, request, obj, form, change):
        if change and not obj.revisions.exists():  # record the state this edit changes
            write_revision(Case.objects.get(pk=obj.pk), None,
                           gettext("State before the first recorded change"), label="system")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """After the case and its inlines are saved: a revision and an audit entry."""
        super().save_related(request, form, formsets, change)
        case = form.instance
        summary = form.cleaned_data.get("change_summary") or (
            gettext("Edited in the back office") if change
            else gettext("Created in the back office"))
        write_revision(case, request.user, summary)
        record(request.user, AuditAction.EDIT if change else AuditAction.CREATE, case,
               f"{summary}: {case.title}")

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, AuditAction.DELETE, obj, obj.title)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for case in queryset:
                record(request.user, AuditAction.DELETE, case, case.title)
            super().delete_queryset(request, queryset)

    @admin.action(description=_("Retract the selected cases"))
    def retract_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if "apply" in request.POST:
            try:
                for case in queryset:
                    retract_case(case, request.user, reason)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            n = queryset.count()
            self.message_user(request, ngettext("Retracted %(n)d case.", "Retracted %(n)d cases.", n)
                              % {"n": n})
            return None
        return render(request, "admin/cases/retract.html", {
            "cases": queryset, "opts": self.model._meta, **self.admin_site.each_context(request)})


class AliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


class LinkInline(admin.TabularInline):
    model = ActorLink
    fk_name = "source"
    extra = 1
    autocomplete_fields = ("target",)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "aliases__name")
    prepopulated_fields = {"slug": ("name",)}
    list_per_page = 50
    inlines = (AliasInline, LinkInline)
    actions = ("merge_selected",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record(request.user, AuditAction.EDIT if change else AuditAction.CREATE, form.instance,
               form.instance.name)

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, AuditAction.DELETE, obj, obj.name)
            super().delete_model(request, obj)

    @admin.action(description=_("Merge the selected actors into one"))
    def merge_selected(self, request, queryset):
        actors = list(queryset[:20])
        if len(actors) < 2:
            self.message_user(request, gettext("Select at least two actors to merge."),
                              messages.WARNING)
            return None
        if "apply" in request.POST:
            survivor = next((a for a in actors if str(a.pk) == request.POST.get("survivor")), None)
            if survivor is None:
                self.message_user(request, gettext("Choose the actor to keep."), messages.ERROR)
                return None
            try:
                with transaction.atomic():  # all or none
                    for duplicate in actors:
                        if duplicate.pk != survivor.pk:
                            merge_actors(duplicate, survivor, request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(request, gettext("Merged into %(name)s.") % {"name": survivor.name})
            return None
        return render(request, "admin/cases/merge.html", {
            "actors": actors, "opts": self.model._meta, **self.admin_site.each_context(request)})


class TermInline(admin.TabularInline):
    model = Term
    extra = 1
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "is_facet", "order")
    inlines = (TermInline,)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "taxonomy")
    list_filter = ("taxonomy",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
