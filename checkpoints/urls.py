from django.urls import path

from checkpoints import views

urlpatterns = [
    path("cases/<uuid:case_id>/checkpoints/", views.checkpoint_list, name="checkpoint_list"),
    # A checkpoint is named by its milestone id (agencies_informed, checkpoint_10_day, ...).
    path("cases/<uuid:case_id>/checkpoints/<slug:milestone_id>/", views.checkpoint_record,
         name="checkpoint_record"),
    path("cases/<uuid:case_id>/checkpoints/<slug:milestone_id>/withdraw/",
         views.checkpoint_withdraw, name="checkpoint_withdraw"),
    path("cases/<uuid:case_id>/specialist-assessments/new/",
         views.specialist_assessment_request, name="specialist_assessment_request"),
    path("cases/<uuid:case_id>/specialist-assessments/<uuid:specialist_assessment_id>/",
         views.specialist_assessment_update, name="specialist_assessment_update"),
    path("cases/<uuid:case_id>/specialist-assessments/<uuid:specialist_assessment_id>/withdraw/",
         views.specialist_assessment_withdraw, name="specialist_assessment_withdraw"),
]  # fmt: skip
