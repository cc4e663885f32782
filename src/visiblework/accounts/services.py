"""Creating editors and admins; the roles' permissions live in one place."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import Role, User

EDITORS_GROUP = "Editors"
# Apps whose content editors curate in the back office.
EDITOR_APPS = ("cases", "reports", "core")
# And some models of higher floors (app label, model names): of the statistics floor, the
# scorecards (editors award points); of voice, the organisations' help profiles.
EDITOR_MODELS = (("insights", ("scorecard", "scorecardpoint")), ("voice", ("helpprofile",)))


def editors_group() -> Group:
    """The Editors group with every permission on the curated apps (kept up to date)."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    curated = Q(content_type__app_label__in=EDITOR_APPS)
    for app, models in EDITOR_MODELS:
        curated |= Q(content_type__app_label=app, content_type__model__in=models)
    perms = Permission.objects.filter(curated)
    group.permissions.set(perms)
    return group


@transaction.atomic
def create_editor(username: str, password: str, *, admin: bool = False) -> User:
    """Create (or promote) a staff account that can sign in to /admin/ and /review/."""
    user, _created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.role = Role.ADMIN if admin else Role.EDITOR
    user.is_staff = True
    user.is_superuser = admin
    user.save()
    user.groups.add(editors_group())
    return user
