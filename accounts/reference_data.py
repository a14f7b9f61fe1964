"""The reference data every deployment starts with: agencies, roles, Somerset's localities.

Used by migration 0002 and by tests that flush the database. Idempotent.
Localities are data: add or rename them in the admin, not here.
"""

from django.apps import apps as global_apps
from django.utils.text import slugify

from accounts.models import AgencyCode, RoleCode

ROLE_AGENCY = {
    RoleCode.SOCIAL_WORKER: AgencyCode.CSC,
    RoleCode.TEAM_MANAGER: AgencyCode.CSC,
    RoleCode.OPERATIONS_MANAGER: AgencyCode.CSC,
    RoleCode.NAMED_MIDWIFE: AgencyCode.MIDWIFERY,
    RoleCode.MIDWIFE: AgencyCode.MIDWIFERY,
    RoleCode.NAMED_PHN: AgencyCode.PHN,
    RoleCode.HEALTH_VISITOR: AgencyCode.PHN,
    RoleCode.GUEST: AgencyCode.GUEST,
    RoleCode.PARTNERSHIP_ANALYST: AgencyCode.PARTNERSHIP,
    RoleCode.SYSTEM_ADMINISTRATOR: AgencyCode.COUNCIL,
    RoleCode.DATA_PROTECTION_OFFICER: AgencyCode.COUNCIL,
}
SOMERSET_LOCALITIES = ["South Somerset", "Mendip", "Taunton and West Somerset", "Sedgemoor"]


def ensure_reference_data(apps=global_apps) -> None:
    Agency = apps.get_model("accounts", "Agency")
    Role = apps.get_model("accounts", "Role")
    Locality = apps.get_model("accounts", "Locality")
    agencies = {}
    for code, name in AgencyCode.choices:
        agencies[code], _ = Agency.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in RoleCode.choices:
        Role.objects.get_or_create(
            code=code, defaults={"name": name, "agency": agencies[ROLE_AGENCY[code]]}
        )
    for name in SOMERSET_LOCALITIES:
        Locality.objects.get_or_create(slug=slugify(name), defaults={"name": name})
