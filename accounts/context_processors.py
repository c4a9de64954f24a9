from django.http import HttpRequest

from accounts.selectors import user_scopes


def navigation(request: HttpRequest) -> dict:
    """The roles the user holds, so the navigation bar offers each role's pages (and only those)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": frozenset()}
    return {"nav_roles": frozenset(str(role) for role in user_scopes(user).roles)}
