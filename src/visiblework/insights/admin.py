from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import DisclosureStatement, Release, Scorecard, ScorecardPoint


class PointFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        awarded = {(f.cleaned_data.get("principle"), f.cleaned_data.get("level"))
                   for f in self.forms
                   if f.cleaned_data and f.cleaned_data.get("awarded")
                   and not f.cleaned_data.get("DELETE")}
        for principle, level in awarded:
            if level == 2 and (principle, 1) not in awarded:
                raise ValidationError(_("An advanced point can be awarded only with the basic "
                                        "point of the same principle."))


class PointInline(admin.StackedInline):
    model = ScorecardPoint
    formset = PointFormSet
    extra = 0
    max_num = 10
    filter_horizontal = ("sources", "cases")
    raw_id_fields = ("release_cells",)


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("actor", "year", "updated_on")
    autocomplete_fields = ("actor",)
    inlines = (PointInline,)


@admin.register(DisclosureStatement)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ("actor", "stated_hourly_usd", "updated_on")
    autocomplete_fields = ("actor",)


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Read-only: releases are built by `visiblework release build` or /review/releases/."""

    list_display = ("label", "status", "epsilon", "k", "built_on", "published_on")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # every build counts in the workers' running privacy loss (insights/budget.py)
        return False
