"""Reference data of the referrals app: the risk sensible model's two lists, the high risk
indicators and the underlying risk factors a referral records (procedure: "The referral
should also reference the risk sensible model to include high risk indicators and
underlying risk factors"). Kept as data: an administrator adds or retires an item
without a release, so this only adds what is missing and never overwrites a change.
"""

from django.apps import apps as global_apps

HIGH_RISK_INDICATOR = "high_risk_indicator"
UNDERLYING_RISK_FACTOR = "underlying_risk_factor"

# (code, label), in the order they are offered. The first item uses the procedure's own
# words ("previous children removed / cared for by others").
HIGH_RISK_INDICATORS = [
    ("previous_child_removed", "Previous children removed or cared for by others"),
    ("previous_proceedings", "Previous or current care proceedings about another child"),
    ("serious_injury_or_death", "Previous serious injury to, or death of, a child"),
    ("domestic_abuse", "Domestic abuse"),
    ("substance_misuse", "Parental substance misuse (drugs or alcohol)"),
    ("mental_illness", "Parental mental illness"),
    ("care_leaver", "A parent who is a care leaver"),
    ("parent_under_18", "A parent under 18"),
    ("concealed_or_late_booked", "Concealed or late-booked pregnancy"),
    ("learning_disability", "Parental learning disability affecting parenting"),
    ("risk_to_children", "A person posing a risk to children (sexual or violent offence)"),
    ("child_protection_history", "Another child subject to a child protection plan"),
]
UNDERLYING_RISK_FACTORS = [
    ("housing_instability", "Unsuitable or unstable accommodation"),
    ("financial_hardship", "Financial hardship or debt"),
    ("isolation", "Isolation, or no support network"),
    ("own_childhood_adversity", "Parent's own adverse childhood experiences"),
    ("non_engagement", "Not engaging with services or missed appointments"),
    ("unplanned_pregnancy", "Unplanned or unwanted pregnancy"),
    ("physical_health", "Parental physical ill health or disability"),
    ("relationship_instability", "Unstable or new relationship"),
    ("criminal_activity", "Criminal activity in the household"),
    ("language_or_immigration", "Language barriers or insecure immigration status"),
]


def ensure_risk_factors(apps=global_apps) -> None:
    RiskFactor = apps.get_model("referrals", "RiskFactor")
    for kind, items in (
        (HIGH_RISK_INDICATOR, HIGH_RISK_INDICATORS),
        (UNDERLYING_RISK_FACTOR, UNDERLYING_RISK_FACTORS),
    ):
        for position, (code, label) in enumerate(items):
            RiskFactor.objects.get_or_create(
                code=code, defaults={"kind": kind, "label": label, "position": position}
            )
