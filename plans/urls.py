from django.urls import path

from plans import views

urlpatterns = [
    path("cases/<uuid:case_id>/plans/", views.plans_index, name="plans_index"),
    path("cases/<uuid:case_id>/plans/new/", views.decision_choose, name="plans_decision_choose"),
    path(
        "cases/<uuid:case_id>/plans/new/<slug:kind>/",
        views.decision_record,
        name="plans_decision_record",
    ),
    path(
        "cases/<uuid:case_id>/plans/decisions/<uuid:decision_id>/withdraw/",
        views.decision_withdraw,
        name="plans_decision_withdraw",
    ),
    path("cases/<uuid:case_id>/plans/birth-plan/", views.birth_plan, name="plans_birth_plan"),
    path("cases/<uuid:case_id>/plans/plo-letter/", views.plo_letter, name="plans_plo_letter"),
]
