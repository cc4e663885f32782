from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "visiblework.cases"
    label = "cases"
    verbose_name = _("Case database")

    def ready(self) -> None:
        from . import indexing  # noqa: F401  (connects the signals)
