"""Pseudonymous worker accounts: a generated handle, a password, one-time recovery codes.
No e-mail address or real name is asked for."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction

from .models import RecoveryCode, Role, User

ADJECTIVES = (
    "amber", "brave", "calm", "clear", "bright", "gentle", "green", "quiet", "rapid", "steady",
    "swift", "wise", "warm", "bold", "kind", "silver", "golden", "misty", "sunny", "cobalt",
    "crimson", "patient", "hidden", "open", "early", "late", "northern", "southern", "coastal",
    "mountain",
)
NOUNS = (
    "river", "forest", "harbour", "meadow", "falcon", "baobab", "mango", "heron", "delta",
    "canyon", "island", "lantern", "orchid", "pebble", "savanna", "comet", "cedar", "lagoon",
    "sparrow", "tamarind", "willow", "acacia", "monsoon", "nile", "andes", "kestrel", "reef",
    "tide", "valley", "zebra",
)
RECOVERY_CODES = 8


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()


def generate_handle() -> str:
    while True:
        handle = (f"{secrets.choice(ADJECTIVES)}-{secrets.choice(NOUNS)}-"
                  f"{secrets.randbelow(900) + 100}")
        if not User.objects.filter(username=handle).exists():
            return handle


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the codes are returned once and never stored."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash(c)) for c in codes])
    return codes


@transaction.atomic
def create_worker(password: str, handle: str | None = None) -> tuple[User, list[str]]:
    """A new worker account. `handle` is one that `generate_handle` offered earlier (never a
    name a client chose); if somebody took it meanwhile, another is generated."""
    handle = handle or generate_handle()
    validate_password(password, User(username=handle, role=Role.WORKER))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                user = User.objects.create_user(username=handle, password=password,
                                                role=Role.WORKER)
        except IntegrityError:
            handle = generate_handle()
            continue
        return user, new_recovery_codes(user)
    raise IntegrityError("no free account name was found")


@transaction.atomic
def recover(handle: str, code: str, new_password: str) -> User | None:
    """Set a new password with a one-time recovery code; None if the pair does not match."""
    user = User.objects.filter(username=handle.strip(),
                               role__in=(Role.WORKER, Role.REPRESENTATIVE)).first()
    if user is None:
        return None
    recovery = RecoveryCode.objects.select_for_update().filter(
        user=user, code_hash=_hash(code), used=False).first()
    if recovery is None:
        return None
    validate_password(new_password, user)
    recovery.used = True
    recovery.save(update_fields=["used"])
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def delete_worker(user: User) -> None:
    """Delete the account and every report it holds."""
    user.reports.all().delete()
    user.delete()
