"""The report form: one page, works without JavaScript, every field explained in plain words.

Fields are declared here for rendering and to keep what was typed; the form itself checks
nothing (`ReportForm.full_clean`). The checking is done once, with one set of messages, for
the form and the API alike, by reports.services.clean_report; `attach_errors` shows its
messages by their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from visiblework.core.countries import country_name

from .models import (
    RATING_FIELDS,
    ContractType,
    HarmKind,
    PayBasis,
    PaymentProblem,
    Support,
    TaskType,
    UnpaidKind,
    YesNo,
)

RATING_CHOICES = [("", "—"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]
RATING_LABELS = {
    "rating_fair_pay": _("Fair pay"),
    "rating_fair_conditions": _("Fair conditions (safety, health, hours)"),
    "rating_fair_contracts": _("Fair contracts (clear terms you can understand)"),
    "rating_fair_management": _("Fair management (you can appeal decisions)"),
    "rating_fair_representation": _("Fair representation (you can speak up together)"),
    "rating_communication": _("Communication"),
    "rating_payment_promptness": _("Paid on time"),
    "rating_rejection_fairness": _("Fair rejections"),
}


def _country_choices() -> list[tuple[str, str]]:
    import pycountry

    return [("", "—")] + sorted(((c.alpha_2, country_name(c.alpha_2))
                                 for c in pycountry.countries), key=lambda item: item[1])


# Numbers are typed as text (a phone shows its number keys): "12,50" and "1,234.50" are numbers
# too, read by the one rule of reports.bounds.
NUMBER = forms.TextInput(attrs={"inputmode": "decimal"})
WHOLE = forms.TextInput(attrs={"inputmode": "numeric"})


def _with_blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


# What a report cannot do without (services.clean_report refuses a report missing one): these
# come first on the page, marked required. The rest is in optional sections (SECTIONS).
REQUIRED_FIELDS = ("platform", "task_type", "country", "year", "quarter", "pay_amount",
                   "currency", "pay_basis", "paid_hours")
# The optional sections of the page, in order: (key, fields). A section is shown open when one
# of its fields has an answer or an error, so nothing typed or wrong is hidden.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("unpaid", tuple(f"unpaid_{kind}" for kind in UnpaidKind.values)),
    ("costs", ("fees", "costs", "payment_problems", "rejected_percent")),
    ("conditions", ("harmful_content", "harmful_hours_per_week", "support_offered",
                    "contract_type", "nda", "told_purpose", "could_opt_out")),
    ("ratings", (*RATING_FIELDS, "would_recommend")),
    ("words", ("free_text",)),
)


class ReportForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    platform = forms.CharField(label=_("Platform or company you worked through"), required=False,
                               help_text=_("For example Remotasks, Appen, Sama. If it is new to "
                                           "us, an editor will check it."))
    client = forms.CharField(label=_("Client, if you know it"), required=False,
                             help_text=_("The company the work was for, if you know."))
    task_type = forms.ChoiceField(label=_("Kind of work"), choices=_with_blank(TaskType.choices),
                                  required=False)
    country = forms.ChoiceField(label=_("Country where you did the work"), required=False)
    year = forms.CharField(label=_("Year"), required=False, widget=WHOLE)
    quarter = forms.ChoiceField(label=_("Quarter"), required=False, choices=[
        ("", "—"), ("1", _("January–March")), ("2", _("April–June")),
        ("3", _("July–September")), ("4", _("October–December"))])
    pay_amount = forms.CharField(label=_("Pay"), required=False, widget=NUMBER,
                                 help_text=_("The amount you were paid for this work, before "
                                             "fees. Per task: the pay for one task."))
    currency = forms.CharField(label=_("Currency"), required=False,
                               help_text=_("Three letters, e.g. USD, KES, INR, PHP."))
    pay_basis = forms.ChoiceField(label=_("The pay is"), choices=_with_blank(PayBasis.choices),
                                  required=False)
    units = forms.CharField(label=_("Number of tasks"), required=False, widget=WHOLE,
                            help_text=_("Only if you were paid per task."))
    paid_hours = forms.CharField(label=_("Paid hours"), required=False, widget=NUMBER,
                                 help_text=_("Hours you worked and were paid for, for this pay."))
    fees = forms.CharField(label=_("Fees taken from your pay"), required=False, widget=NUMBER,
                           help_text=_("Transfer or platform fees, in the same currency."))
    costs = forms.CharField(label=_("Your own costs"), required=False, widget=NUMBER,
                            help_text=_("Internet, electricity, equipment you paid for this work."))
    payment_problems = forms.ChoiceField(label=_("Were you paid on time?"), required=False,
                                         choices=_with_blank(PaymentProblem.choices))
    rejected_percent = forms.CharField(label=_("Share of your work rejected (%)"),
                                       required=False, widget=NUMBER)
    harmful_content = forms.MultipleChoiceField(
        label=_("Did you have to see harmful content?"), choices=HarmKind.choices,
        widget=forms.CheckboxSelectMultiple, required=False)
    harmful_hours_per_week = forms.CharField(label=_("Hours a week with harmful content"),
                                             required=False, widget=NUMBER)
    support_offered = forms.MultipleChoiceField(label=_("Support offered to you"),
                                                choices=Support.choices,
                                                widget=forms.CheckboxSelectMultiple,
                                                required=False)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=_with_blank(ContractType.choices),
                                      required=False)
    nda = forms.ChoiceField(label=_("Did you sign a non-disclosure agreement?"),
                            choices=_with_blank(YesNo.choices), required=False)
    told_purpose = forms.ChoiceField(label=_("Were you told what the data is for?"),
                                     choices=_with_blank(YesNo.choices), required=False)
    could_opt_out = forms.ChoiceField(label=_("Could you say no to some uses or tasks?"),
                                      choices=_with_blank(YesNo.choices), required=False)
    would_recommend = forms.ChoiceField(label=_("Would you recommend this work to a friend?"),
                                        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                                        required=False)
    free_text = forms.CharField(label=_("In your own words"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("Optional. Editors read it before it is shown. Do not "
                                            "name people or write anything that identifies you."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # a label ends in its required mark, no colon
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()
        for kind, label in UnpaidKind.choices:
            self.fields[f"unpaid_{kind}"] = forms.CharField(label=label, required=False,
                                                            widget=NUMBER)
        for field in RATING_FIELDS:
            self.fields[field] = forms.ChoiceField(label=RATING_LABELS[field],
                                                   choices=RATING_CHOICES, required=False)
        for name in REQUIRED_FIELDS:  # marked on the page (`required`); checked by the service
            self.fields[name].required = True

    def full_clean(self) -> None:
        """Check nothing: services.clean_report checks every field, for the form and the API
        alike, and attach_errors shows its messages. A bound form keeps what was typed."""
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data = {}

    def raw_report(self) -> dict[str, Any]:
        """What was typed, in the shape clean_report takes."""
        data = self.data
        raw: dict[str, Any] = {name: data.get(name, "") for name in self.fields
                               if not name.startswith("unpaid_")}
        for name in ("harmful_content", "support_offered"):
            raw[name] = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        raw["unpaid_hours"] = {kind: data.get(f"unpaid_{kind}") for kind in UnpaidKind.values
                               if data.get(f"unpaid_{kind}")}
        raw.pop("idempotency_key", None)
        return raw

    @classmethod
    def initial_from(cls, values: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in values.items() if k != "unpaid_hours"}
        for kind, hours in (values.get("unpaid_hours") or {}).items():
            initial[f"unpaid_{kind}"] = hours
        if values.get("would_recommend") is not None:
            initial["would_recommend"] = "yes" if values["would_recommend"] else "no"
        return initial

    def _answered(self, name: str) -> bool:
        value = self[name].value()
        return value not in (None, "", [], ()) and bool(str(value).strip())

    @property
    def open_sections(self) -> dict[str, bool]:
        """{section: True} for each optional section to show open: it has an answer or an
        error (a report being changed, or a form shown again with its problems)."""
        return {key: any(name in self.errors or self._answered(name) for name in names)
                for key, names in SECTIONS}

    @property
    def error_links(self) -> list[tuple[str, str, str]]:
        """(element id, label, message) for each field's problem, in the page's order: the
        error summary at the top links each to its field."""
        links = []
        for name in self.page_order():
            field = self.fields[name]
            target = self[name].auto_id
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                target = f"{target}_0"  # the first box of the group
            links += [(target, str(field.label), message) for message in self.errors.get(name, [])]
        return links

    @staticmethod
    def page_order() -> list[str]:
        """The fields in the order the page shows them."""
        essentials = ["platform", "client", "task_type", "country", "year", "quarter",
                      "pay_amount", "currency", "pay_basis", "units", "paid_hours"]
        return essentials + [name for _key, names in SECTIONS for name in names]

    @property
    def unpaid_fields(self):
        return [self[f"unpaid_{kind}"] for kind in UnpaidKind.values]

    @property
    def rating_fields(self):
        return [self[f] for f in RATING_FIELDS]


def attach_errors(form: ReportForm, errors: dict[str, list[str]]) -> None:
    for field, messages in errors.items():
        target = field if field in form.fields else None
        if field.startswith("unpaid_") and field in form.fields:
            target = field
        elif field == "unpaid_hours":
            target = None
        for message in messages:
            form.add_error(target, message)
