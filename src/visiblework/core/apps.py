from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "visiblework.core"
    label = "core"
    verbose_name = _("Audit log")  # its only model, in the back office
