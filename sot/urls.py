from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import SecondFactorAdminSite
from api import token_views
from referrals import start_page
from sot import bench, health

# The admin asks for an administrator's second factor (ADMIN_REQUIRES_OTP); models stay registered on admin.site.
admin.site.__class__ = SecondFactorAdminSite
admin.site.site_header = _("SOT administration")
admin.site.site_title = _("SOT")
admin.site.index_title = _("Reference data, users and memberships")

urlpatterns = [
    path("", start_page.home, name="home"),
    # Answered by sot.health.HealthCheckMiddleware before the other middleware; listed so they resolve.
    path("healthz/", health.ready, name="healthz"),
    path("healthz/live/", health.live, name="healthz_live"),
    path("healthz/ready/", health.ready, name="healthz_ready"),
    path("", include("accounts.urls")),
    path("oidc/", include("accounts.oidc_urls")),
    path("requests/", include("referrals.urls")),
    path("capacity/", include("capacity.urls")),
    path("news/", include("referrals.news_urls")),
    path("reports/", include("reports.urls")),
    path("action-plans/", include("actionplans.urls")),
    path("settlement/", include("settlement.urls")),
    path("plan/", include("planning.urls")),
    path("", include("referrals.work_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("fhir/R4/", include("fhir.urls")),
    path("account/tokens/", token_views.token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", token_views.token_revoke_view, name="token_revoke"),
    path("admin/", admin.site.urls),
]

if settings.BENCH_BARE_VIEW:  # the benchmark's baseline (sot/bench.py); never set in production
    urlpatterns.append(path("bench/bare/", bench.bare, name="bench_bare"))

handler400 = "sot.views.bad_request"
handler403 = "sot.views.permission_denied"
handler404 = "sot.views.not_found"
handler500 = "sot.views.server_error"
