from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RefdataConfig(AppConfig):
    name = "visiblework.refdata"
    label = "refdata"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from . import packaged  # loads the models: importable only once the registry is ready

        # `migrate` (and so `visiblework demo`) loads the snapshot shipped in the package.
        post_migrate.connect(packaged.load_on_migrate, sender=self,
                             dispatch_uid="visiblework.refdata.packaged")
