from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def editor_required(view):
    """Editors and admins only: others are sent to sign in, or refused if signed in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())  # the site's sign-in page
        if not getattr(user, "is_editor", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
