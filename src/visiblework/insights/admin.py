from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import releases, scorecards
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
    actions = ("fill_from_latest_release",)

    @admin.action(description=_("Add the Fair pay points the latest release gives evidence for"))
    def fill_from_latest_release(self, request, queryset):
        release = releases.latest_release()
        if release is None:
            self.message_user(request, _("No release is published yet."), messages.WARNING)
            return
        actors = {card.actor for card in queryset.select_related("actor")[:200]}
        filled = [a for a in actors if scorecards.fill_from_release(a, release, request.user)]
        self.message_user(request, ngettext(
            "%(n)s scorecard now has the points of release %(label)s.",
            "%(n)s scorecards now have the points of release %(label)s.",
            len(filled)) % {"n": len(filled), "label": release.label})


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
