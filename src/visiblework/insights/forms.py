"""Forms of the insights pages: a company's disclosure answers and the parameters of a release
build. They read what was typed; the rules are in the services (cards, releases)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DisclosureStatement


class DisclosureStatementForm(forms.ModelForm):
    class Meta:
        model = DisclosureStatement
        fields = ["stated_hourly_usd", "who", "where", "pay", "support", "purpose", "withdrawal"]


class ReleaseBuildForm(forms.Form):
    """What an editor chooses for a build; releases.check_build says whether it may run."""

    label = forms.CharField(label=_("Label (e.g. 2026-q4)"), max_length=50,
                            widget=forms.TextInput(attrs={"pattern": "[-a-zA-Z0-9_]+"}))
    epsilon = forms.FloatField(label="ε", initial="1.0",
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    delta = forms.FloatField(label="δ", initial="0.000001",
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    k = forms.IntegerField(label="k", initial=5,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
