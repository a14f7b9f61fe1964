"""Reference data of the meetings app: the starting list of cross-cutting themes
(ToR 3.5). Kept as data: an administrator adds or retires themes without a release, so
this only adds what is missing and never overwrites a change."""

from django.apps import apps as global_apps

THEMES = [
    ("late_referral", "Late referral"),
    ("late_booking", "Late booking or concealed pregnancy"),
    ("no_named_health_visitor", "No named health visitor"),
    ("no_named_social_worker", "No named social worker"),
    ("drift_in_assessment", "Drift in assessment"),
    ("father_not_engaged", "Father or partner not engaged"),
    ("information_sharing", "Information sharing between agencies"),
    ("housing", "Housing"),
    ("substance_misuse", "Substance misuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("parental_mental_health", "Parental mental health"),
    ("learning_needs", "Parental learning needs"),
    ("care_experienced_parent", "Care-experienced parent"),
    ("previous_removal", "Previous child removed"),
    ("discharge_planning", "Discharge planning"),
    ("supervision", "Supervision not recorded"),
    # Added by migration 0004.
    ("no_named_midwife", "No named midwife"),
    ("young_parent", "Young parent"),
    ("antenatal_non_engagement", "Not engaging with antenatal care"),
]


def ensure_themes(apps=global_apps) -> None:
    Theme = apps.get_model("meetings", "Theme")
    for position, (code, name) in enumerate(THEMES):
        Theme.objects.get_or_create(code=code, defaults={"name": name, "position": position})
