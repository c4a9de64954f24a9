from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("figures/", views.figures, name="figures"),
    path("build/", views.report_build_now, name="build"),
    path("<int:pk>/<str:fmt>/", views.report_download, name="download"),
]
