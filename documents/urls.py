from django.urls import path

from documents import views

urlpatterns = [
    path("cases/<uuid:case_id>/documents/", views.document_list, name="document_list"),
    path("cases/<uuid:case_id>/documents/new/", views.document_upload, name="document_upload"),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/",
        views.document_download_view,
        name="document_download",
    ),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/withdraw/",
        views.document_withdraw,
        name="document_withdraw",
    ),
]
