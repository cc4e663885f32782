"""The editors' back office for cases, actors, taxonomies and sources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "year", "status", "updated_at")
    list_filter = ("status", "year", "terms__taxonomy")
    search_fields = ("title", "summary", "external_id")
    list_per_page = 50
    show_full_result_count = False
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("terms",)
    readonly_fields = ("created_at", "updated_at", "published_at", "external_id")
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", ("year", "date"), "summary", "body")}),
        (_("Classification"), {"fields": ("terms",)}),
        (_("Record"), {"fields": ("external_id", "created_at", "updated_at", "published_at")}),
    )
    inlines = (CaseActorInline, CaseCountryInline, SourceInline)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")


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
