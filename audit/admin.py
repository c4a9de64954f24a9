"""Administrators review the access log by patient, by user and by period, and export it. Read-only.

A patient is searched for through a POST form: the number is kept in the session under a random key and
the list's address carries only that key, so no personnummer ends up in an address, the browser's
history or a server log line. Browsing and searching the log is itself logged.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.requests import signed_in
from audit.forms import PatientSearchForm
from audit.labels import ADMIN_BROWSE, ADMIN_ENTRY, ADMIN_PATIENT_SEARCH, ADMINISTRATOR, role_label, what_label
from audit.models import AccessAction, AccessLogEntry
from sot.personal_numbers import contains_personal_number, mask_personal_number
from sot.tabular import csv_writer

if TYPE_CHECKING:
    from accounts.models import User

SESSION_KEY = "audit_patient_searches"
PATIENT_PARAM = "patient"
KEPT_SEARCHES = 10


def _searches(request: HttpRequest) -> dict[str, list[str]]:
    """The patient searches of this session: random key → the 12-digit numbers searched for."""
    return dict(request.session.get(SESSION_KEY, {}))


def _remember_search(request: HttpRequest, numbers: list[str]) -> str:
    searches = _searches(request)
    key = next((k for k, n in searches.items() if n == numbers), None) or secrets.token_urlsafe(12)
    searches.pop(key, None)
    searches[key] = numbers
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT_SEARCHES:])
    return key


def _masked(numbers: list[str]) -> str:
    return " / ".join(mask_personal_number(number) for number in numbers)


def _without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


class PatientSearchFilter(admin.SimpleListFilter):
    """The entries of the patient searched for with the POST form; the address names only the search's key."""

    title = _("patient search")
    parameter_name = PATIENT_PARAM

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, _masked(numbers)) for key, numbers in _searches(request).items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        numbers = _searches(request).get(value)
        if numbers is None:
            raise IncorrectLookupParameters
        return queryset.filter(patient__personal_number__in=numbers)


class RoleFilter(admin.SimpleListFilter):
    """Entries made in a role, alone or together with others ('receiving_staff,unit_staff'), in words."""

    title = _("as")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, role_label(value)) for value in (*Role.values, ADMINISTRATOR)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        if value not in (*Role.values, ADMINISTRATOR):
            raise IncorrectLookupParameters
        return queryset.filter(
            Q(role=value)
            | Q(role__startswith=f"{value},")
            | Q(role__endswith=f",{value}")
            | Q(role__contains=f",{value},")
        )


_COLUMNS = ("when", "user", "user_hsa_id", "roles", "place", "action", "patient", "referral", "page")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["when", "user", "user_hsa_id", "roles", "place", "action", "patient", "referral", "page"]
    fields = _COLUMNS
    readonly_fields = _COLUMNS
    list_filter = [PatientSearchFilter, "action", RoleFilter, ("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "user__last_name", "=user_hsa_id", "=referral__reference"]
    search_help_text = _("Search by username or reference. Search for a patient with the personnummer field above.")
    change_list_template = "admin/audit/accesslogentry/change_list.html"
    date_hierarchy = "at"
    list_select_related = ["user", "patient", "referral"]
    actions = ["export_csv"]
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False

    @admin.display(description=_("when"), ordering="at")
    def when(self, entry: AccessLogEntry) -> str:
        return f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}"

    @admin.display(description=_("as"), ordering="role")
    def roles(self, entry: AccessLogEntry) -> str:
        return role_label(entry.role)

    @admin.display(description=_("what"), ordering="what")
    def page(self, entry: AccessLogEntry) -> str:
        return what_label(entry.what)

    def get_urls(self) -> list[Any]:
        search = path(
            "patient-search/",
            self.admin_site.admin_view(self.patient_search_view),
            name="audit_accesslogentry_patient_search",
        )
        return [search, *super().get_urls()]

    def patient_search_view(self, request: HttpRequest) -> HttpResponse:
        """POST only: remember the number in the session and show the list under the search's key."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:audit_accesslogentry_changelist")
        form = PatientSearchForm(request.POST)
        if not form.is_valid():
            for error in form.errors["personal_number"]:
                messages.error(request, str(error))  # the message names the problem, never the number
            return HttpResponseRedirect(changelist)
        key = _remember_search(request, form.cleaned_data["personal_number"])
        return HttpResponseRedirect(f"{changelist}?{PATIENT_PARAM}={key}")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        numbers = None
        if request.method == "GET":
            if contains_personal_number(request.GET.get("q", "")):
                messages.error(
                    request,
                    gettext(
                        "Search for a patient with the personnummer field: a personnummer is never put in the address."
                    ),
                )
                return HttpResponseRedirect(_without(request, "q"))
            key = request.GET.get(PATIENT_PARAM)
            if key is not None:
                numbers = _searches(request).get(key)
                if numbers is None:
                    messages.warning(request, gettext("The patient search has expired. Search again."))
                    return HttpResponseRedirect(_without(request, PATIENT_PARAM))
        context = {
            "patient_search_form": PatientSearchForm(),
            "patient_search_url": reverse("admin:audit_accesslogentry_patient_search"),
            "patient_searched": _masked(numbers) if numbers else "",
            **(extra_context or {}),
        }
        response = super().changelist_view(request, context)
        shown = response.context_data if isinstance(response, TemplateResponse) else None
        if request.method == "GET" and shown is not None and "cl" in shown:
            self._log_shown(request, shown["cl"].result_list, numbers)
        return response

    def _log_shown(self, request: HttpRequest, entries: Any, numbers: list[str] | None) -> None:
        """One READ entry per patient and request shown on the page (and per patient searched for)."""
        patient_model = AccessLogEntry._meta.get_field("patient").related_model  # referrals.Patient, by the relation
        shown = {(e.patient_id, e.referral_id) for e in entries}
        if numbers is not None:
            found = patient_model._default_manager.filter(personal_number__in=numbers).values_list("pk", flat=True)
            shown |= {(pk, None) for pk in found if pk not in {patient for patient, _r in shown}}
        what = ADMIN_PATIENT_SEARCH if numbers is not None else ADMIN_BROWSE
        _log_admin_reads(signed_in(request.user), sorted(shown, key=lambda pair: (pair[0], pair[1] or 0)), what)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            entry = (getattr(response, "context_data", None) or {}).get("original")
            if entry is not None:
                _log_admin_reads(signed_in(request.user), [(entry.patient_id, entry.referral_id)], ADMIN_ENTRY)
        return response

    @admin.action(description=_("Export the selected entries (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sot-atkomstlogg-{timezone.localdate():%Y-%m-%d}.csv"'
        response.write("\ufeff")
        # Names, places and pages are text, never a formula (sot/tabular.py); `;` for Swedish Excel.
        writer = csv_writer(response)
        writer.writerow(["tid", "användare", "roll", "enhet/region", "åtgärd", "patient", "begäran", "sida"])
        entries = list(queryset.select_related("user", "patient", "referral"))
        for e in entries:
            writer.writerow(
                [
                    f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}",
                    e.user.username,
                    e.role,
                    e.place,
                    e.get_action_display(),
                    e.patient.personal_number,
                    e.referral.reference if e.referral else "",
                    e.what,
                ]
            )
        # Exporting the log shows patient identities: that is itself logged.
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                user=signed_in(request.user),
                role="administrator",
                place="",
                patient_id=patient_id,
                action=AccessAction.EXPORT,
                what="access log export",
            )
            for patient_id in {e.patient_id for e in entries}
        )
        return response


def _log_admin_reads(user: User, shown: Any, what: str) -> None:
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=user,
            role=ADMINISTRATOR,
            place="",
            patient_id=patient_id,
            referral_id=referral_id,
            action=AccessAction.READ,
            what=what,
        )
        for patient_id, referral_id in shown
    )
