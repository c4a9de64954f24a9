from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("v1/referrals/", views.ReferralListCreate.as_view(), name="referrals"),
    path("v1/referrals/<int:pk>/", views.ReferralDetail.as_view(), name="referral"),
    path("v1/referrals/<int:pk>/submit/", views.ReferralSubmit.as_view(), name="referral_submit"),
    path("v1/referrals/<int:pk>/proposals/", views.ReferralProposals.as_view(), name="referral_proposals"),
    *[
        path(f"v1/referrals/<int:pk>/{action}/", views.step_view(action), name=f"referral_{action}")
        for action in views.STEPS
    ],
    path("v1/capacity-offers/", views.CapacityOfferListCreate.as_view(), name="capacity_offers"),
    path("v1/capacity-offers/<int:pk>/", views.CapacityOfferDetail.as_view(), name="capacity_offer"),
    path("v1/capacity-offers/<int:pk>/withdraw/", views.CapacityOfferWithdraw.as_view(), name="capacity_withdraw"),
    path("v1/obstacles/", views.ObstacleListCreate.as_view(), name="obstacles"),
    path("v1/reports/", views.ReportList.as_view(), name="reports"),
    path("v1/reports/<int:pk>/<str:fmt>/", views.ReportDownload.as_view(), name="report_download"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
