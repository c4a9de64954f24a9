from django.conf import settings
from django.http import HttpRequest

from accounts.selectors import user_scopes


def navigation(request: HttpRequest) -> dict:
    """The roles the user holds, so the navigation bar offers each role's pages (and only those);
    for the login page, whether SITHS sign-in is configured (accounts/oidc.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": frozenset(), "sign_in_with_siths": settings.OIDC_ENABLED}
    return {"nav_roles": frozenset(str(role) for role in user_scopes(user).roles)}
