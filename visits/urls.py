from django.urls import path

from visits import views

urlpatterns = [
    path("cases/<uuid:case_id>/visits/", views.visit_list, name="visit_list"),
    path("cases/<uuid:case_id>/visits/new/", views.visit_record, name="visit_record"),
    path(
        "cases/<uuid:case_id>/visits/<uuid:visit_id>/withdraw/",
        views.visit_withdraw,
        name="visit_withdraw",
    ),
    path("cases/<uuid:case_id>/notes/new/", views.case_note_add, name="case_note_add"),
    path(
        "cases/<uuid:case_id>/notes/<uuid:note_id>/withdraw/",
        views.case_note_withdraw,
        name="case_note_withdraw",
    ),
]
