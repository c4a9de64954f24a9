from django.urls import path

from referrals import news_views

urlpatterns = [
    path("", news_views.news, name="news"),
    path("read/", news_views.news_read, name="news_read"),
]
