"""SITHS sign-in (accounts/oidc.py): mozilla-django-oidc's three addresses, with SOT's views."""

from django.urls import path

from accounts import oidc

urlpatterns = [
    path("authenticate/", oidc.SithsAuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc.SithsCallbackView.as_view(), name="oidc_authentication_callback"),
    path("logout/", oidc.SithsLogoutView.as_view(), name="oidc_logout"),
]
