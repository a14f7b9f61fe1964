from django.urls import path

from assessments import views

urlpatterns = [
    path("cases/<uuid:case_id>/assessment/", views.assessment_detail, name="assessment_detail"),
    path("cases/<uuid:case_id>/assessment/open/", views.assessment_open, name="assessment_open"),
    path(
        "cases/<uuid:case_id>/assessment/areas/<slug:area>/",
        views.assessment_area,
        name="assessment_area",
    ),
    path(
        "cases/<uuid:case_id>/assessment/views/",
        views.assessment_agency_view,
        name="assessment_agency_view",
    ),
    path(
        "cases/<uuid:case_id>/assessment/submit/",
        views.assessment_submit,
        name="assessment_submit",
    ),
    path(
        "cases/<uuid:case_id>/assessment/authorise/",
        views.assessment_decide,
        name="assessment_decide",
    ),
]
