from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("", views.plan_start, name="start"),
    path("<slug:code>/", views.plan, name="plan"),
    path("<slug:code>/apply/", views.apply, name="apply"),
]
