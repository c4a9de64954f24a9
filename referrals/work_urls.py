from django.urls import path

from referrals import queue_views
from referrals import workflow_views as views

app_name = "work"

urlpatterns = [
    path("queue/", queue_views.queue, name="queue"),
    path("inbox/", views.inbox, name="inbox"),
    path("obstacles/", views.obstacle_list, name="obstacles"),
    path("obstacles/new/", views.obstacle_create, name="obstacle_create"),
]
