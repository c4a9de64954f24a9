from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
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


# django-axes' attempt list: its two computed columns get Swedish headings (axes gives them none, so the
# admin would show the method names). The rest of axes' admin is translated by our catalogue
# (sot/third_party_messages.py).
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)

    @admin.register(AccessAttempt)
    class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
        @admin.display(description=_("expires"))
        def expiration(self, obj: AccessAttempt) -> Any:
            return super().expiration(obj)

        @admin.display(description=_("status"))
        def status(self, obj: AccessAttempt) -> Any:
            return super().status(obj)
