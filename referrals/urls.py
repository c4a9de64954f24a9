from django.urls import path

from referrals import letter_views, search_views, views, workflow_views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_create, name="create"),
    path("icd10/", views.icd10_lookup, name="icd10_lookup"),
    path("search/", search_views.search, name="search"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/letter.pdf", letter_views.patient_letter, name="patient_letter"),
    path("<int:pk>/edit/", views.referral_edit, name="edit"),
    path("<int:pk>/submit/", views.referral_submit, name="submit"),
    path("<int:pk>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<int:pk>/patient/", views.patient_details_change, name="patient_details"),
    path("<int:pk>/take/", workflow_views.take, name="take"),
    path("<int:pk>/propose/", workflow_views.propose, name="propose"),
    path("<int:pk>/contact/", workflow_views.contact, name="contact"),
    path("<int:pk>/accept/", workflow_views.accept, name="accept"),
    path("<int:pk>/accept-by-phone/", workflow_views.accept_by_phone, name="accept_by_phone"),
    path("<int:pk>/decline/", workflow_views.decline, name="decline"),
    path("<int:pk>/complete/", workflow_views.complete, name="complete"),
    path("<int:pk>/close/", workflow_views.close, name="close"),
    path("<int:pk>/group/", workflow_views.correct_group, name="correct_group"),
    path("<int:pk>/pauses/new/", views.wait_pause_add, name="pause_add"),
]
