from django.urls import path

from history import views

urlpatterns = [
    path("cases/<uuid:case_id>/history/", views.history_page, name="case_history"),
    path("cases/<uuid:case_id>/history.pdf", views.history_pdf, name="case_history_pdf"),
]
