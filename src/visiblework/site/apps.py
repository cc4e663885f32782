from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top floor: what composes the site from the apps below it (root URLs, the API,
    the `/about/` pages, and the demo, serve and bench commands)."""

    name = "visiblework.site"
    label = "site"
    verbose_name = _("Site")
