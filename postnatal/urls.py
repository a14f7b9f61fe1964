from django.urls import path

from postnatal import views

AFTER_BIRTH = "cases/<uuid:case_id>/after-birth/"

urlpatterns = [
    path(AFTER_BIRTH, views.after_birth, name="postnatal_after_birth"),
    path(
        AFTER_BIRTH + "discharge-planning-meeting/",
        views.discharge_planning_meeting,
        name="postnatal_discharge_planning_meeting",
    ),
    path(AFTER_BIRTH + "visit-schedule/", views.visit_schedule, name="postnatal_visit_schedule"),
    path(
        AFTER_BIRTH + "review-conference/",
        views.review,
        {"kind": "review_conference"},
        name="postnatal_review_conference",
    ),
    path(
        AFTER_BIRTH + "mid-point-review/",
        views.review,
        {"kind": "midpoint_review"},
        name="postnatal_midpoint_review",
    ),
    *(
        path(
            f"{AFTER_BIRTH}{slug}/withdraw/",
            views.withdraw,
            {"kind": kind},
            name=f"postnatal_{kind}_withdraw",
        )
        for slug, kind in (
            ("discharge-planning-meeting", "discharge_planning_meeting"),
            ("visit-schedule", "visit_schedule"),
            ("review-conference", "review_conference"),
            ("mid-point-review", "midpoint_review"),
        )
    ),  # fmt: skip
]
