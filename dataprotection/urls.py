from django.urls import path

from dataprotection import views

urlpatterns = [
    path("data-protection/", views.search, name="dpo_search"),
    path("data-protection/restrictions/", views.restrictions, name="dpo_restrictions"),
    path(
        "data-protection/cases/<uuid:case_id>/access/", views.access_log_page, name="dpo_access_log"
    ),
    path(
        "data-protection/cases/<uuid:case_id>/access.csv",
        views.access_log_csv,
        name="dpo_access_log_csv",
    ),
    path(
        "data-protection/cases/<uuid:case_id>/access.pdf",
        views.access_log_pdf,
        name="dpo_access_log_pdf",
    ),
    path(
        "data-protection/cases/<uuid:case_id>/subject-access.json",
        views.subject_access_json,
        name="dpo_subject_access_json",
    ),
    path(
        "data-protection/cases/<uuid:case_id>/subject-access.pdf",
        views.subject_access_pdf,
        name="dpo_subject_access_pdf",
    ),
]
