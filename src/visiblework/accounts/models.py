"""People who sign in: pseudonymous workers, verified representatives, editors, admins."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORKER = "worker", _("Worker")
    REPRESENTATIVE = "representative", _("Representative")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A signed-in person. Workers' handles are generated; no e-mail address is required."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WORKER)

    @property
    def is_editor(self) -> bool:
        return self.is_active and (self.role in (Role.EDITOR, Role.ADMIN) or self.is_superuser)


class RecoveryCode(models.Model):
    """A one-time code to regain a pseudonymous account without e-mail. Only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} ({'used' if self.used else 'unused'})"
