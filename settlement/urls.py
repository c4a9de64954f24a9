from django.urls import path

from settlement import views

app_name = "settlement"

urlpatterns = [
    path("", views.settlement_list, name="list"),
    path("<str:month>/<slug:sending>/<slug:receiving>.<str:fmt>", views.settlement_download, name="download"),
]
