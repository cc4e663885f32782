from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefdataConfig(AppConfig):
    name = "visiblework.refdata"
    label = "refdata"
    verbose_name = _("Reference data")
