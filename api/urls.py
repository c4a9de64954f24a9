from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import capacity, obstacles, referrals, reports, steps

app_name = "api"

urlpatterns = [
    path("v1/referrals/", referrals.ReferralListCreate.as_view(), name="referrals"),
    path("v1/referrals/<int:pk>/", referrals.ReferralDetail.as_view(), name="referral"),
    path("v1/referrals/<int:pk>/submit/", referrals.ReferralSubmit.as_view(), name="referral_submit"),
    path("v1/referrals/<int:pk>/proposals/", referrals.ReferralProposals.as_view(), name="referral_proposals"),
    path("v1/referrals/<int:pk>/take/", steps.TakeStep.as_view(), name="referral_take"),
    path("v1/referrals/<int:pk>/propose/", steps.ProposeStep.as_view(), name="referral_propose"),
    path("v1/referrals/<int:pk>/accept/", steps.AcceptStep.as_view(), name="referral_accept"),
    path("v1/referrals/<int:pk>/decline/", steps.DeclineStep.as_view(), name="referral_decline"),
    path("v1/referrals/<int:pk>/complete/", steps.CompleteStep.as_view(), name="referral_complete"),
    path("v1/referrals/<int:pk>/withdraw/", steps.WithdrawStep.as_view(), name="referral_withdraw"),
    path("v1/referrals/<int:pk>/close/", steps.CloseStep.as_view(), name="referral_close"),
    path("v1/capacity-offers/", capacity.CapacityOfferListCreate.as_view(), name="capacity_offers"),
    path("v1/capacity-offers/<int:pk>/", capacity.CapacityOfferDetail.as_view(), name="capacity_offer"),
    path("v1/capacity-offers/<int:pk>/withdraw/", capacity.CapacityOfferWithdraw.as_view(), name="capacity_withdraw"),
    path("v1/obstacles/", obstacles.ObstacleListCreate.as_view(), name="obstacles"),
    path("v1/reports/", reports.ReportList.as_view(), name="reports"),
    path("v1/reports/<int:pk>/<str:fmt>/", reports.ReportDownload.as_view(), name="report_download"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
