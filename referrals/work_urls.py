from django.urls import path

from referrals import queue_views
from referrals import workflow_views as views

app_name = "work"

urlpatterns = [
    path("queue/", queue_views.queue, name="queue"),
    path("queue/<int:pk>/take/", queue_views.handler_take, name="handler_take"),
    path("queue/<int:pk>/release/", queue_views.handler_release, name="handler_release"),
    path("inbox/", views.inbox, name="inbox"),
    path("obstacles/", views.obstacle_list, name="obstacles"),
    path("obstacles/new/", views.obstacle_create, name="obstacle_create"),
]
