from django.urls import path

from capacity import overview_views, views

app_name = "capacity"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("new/", views.offer_create, name="create"),
    path("<int:pk>/", views.offer_change, name="change"),
    path("<int:pk>/withdraw/", views.offer_withdraw, name="withdraw"),
    path("units/<int:unit_pk>/confirm/", views.offers_confirm, name="confirm"),
    path("overview/", overview_views.overview, name="overview"),
    path("overview/offers/", overview_views.overview_cell, name="overview_cell"),
]
