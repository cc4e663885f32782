"""Creating editors, admins and company accounts; the roles' permissions live in one place."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Role, User
from .workers import new_recovery_codes

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


@transaction.atomic
def create_company_account(username: str, password: str) -> tuple[User, list[str]]:
    """A company account: the kind that may ask to reply for an organisation (the right of
    reply, reports/replies.py). It grants nothing by itself: an editor verifies each
    organisation it speaks for. Kept apart from workers' anonymous accounts, which are never
    turned into company ones. Its name is chosen (it is no secret); recovery codes as for
    workers."""
    username = username.strip()
    if not 3 <= len(username) <= 150:
        raise ValidationError(_("Choose an account name of 3 to 150 characters."))
    User.username_validator(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("That account name is taken. Choose another."))
    validate_password(password, User(username=username, role=Role.REPRESENTATIVE))
    user = User.objects.create_user(username=username, password=password,
                                    role=Role.REPRESENTATIVE)
    return user, new_recovery_codes(user)
