from django.urls import path

from referrals import views

urlpatterns = [
    path("allocations/", views.allocation_queue, name="allocation_queue"),
    path("cases/<uuid:case_id>/referral/", views.referral_change, name="referral_change"),
    path("cases/<uuid:case_id>/allocate/", views.allocate, name="case_allocate"),
]
