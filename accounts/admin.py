from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit", "region", "healthcare_region"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "region", "healthcare_region", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "unit", "region", "healthcare_region"]


# django-axes' admin, in Swedish: its words are translated by our catalogue (sot/third_party_messages.py);
# here the two computed columns get headings (axes gives them none, so the admin would show the method
# names), and a row is named by its username and local time instead of axes' English, UTC __str__.
class _SignInRowTitle:
    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        context = {"subtitle": sign_in_label(obj)} if obj is not None else {}
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})  # type: ignore[misc]


def sign_in_label(row: Any) -> str:
    """ "admin · 2026-12-01 15:47": who, and when in local time."""
    return f"{row.username or '–'} · {timezone.localtime(row.attempt_time):%Y-%m-%d %H:%M}"


for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(_SignInRowTitle, axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("expires"))
    def expiration(self, obj: AccessAttempt) -> Any:
        return super().expiration(obj)

    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt) -> Any:
        return super().status(obj)


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(_SignInRowTitle, axes_admin.AccessFailureLogAdmin):
    pass


@admin.register(AccessLog)
class AccessLogAdmin(_SignInRowTitle, axes_admin.AccessLogAdmin):
    pass
