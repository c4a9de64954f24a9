from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("v1/referrals/", views.ReferralListCreate.as_view(), name="referrals"),
    path("v1/referrals/<int:pk>/", views.ReferralDetail.as_view(), name="referral"),
    path("v1/referrals/<int:pk>/submit/", views.ReferralSubmit.as_view(), name="referral_submit"),
    path("v1/referrals/<int:pk>/proposals/", views.ReferralProposals.as_view(), name="referral_proposals"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
