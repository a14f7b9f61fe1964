"""Who people are in the service: their agency, roles and localities.

Agencies, roles and localities are reference data kept by the system
administrator; what each role may do is decided in accounts/permissions.py.
"""

import uuid
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models


class Locality(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class AgencyCode(models.TextChoices):
    CSC = "csc", "Children's Social Care"
    MIDWIFERY = "midwifery", "Midwifery"
    PHN = "phn", "Public Health Nursing"
    GUEST = "guest", "Guest"
    PARTNERSHIP = "partnership", "Safeguarding Children Partnership"
    COUNCIL = "council", "Council systems"


class Agency(models.Model):
    code = models.CharField(max_length=20, unique=True, choices=AgencyCode.choices)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class RoleCode(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    OPERATIONS_MANAGER = "operations_manager", "Locality operations manager or deputy"
    NAMED_MIDWIFE = "named_midwife", "Named Midwife for Safeguarding or deputy"
    MIDWIFE = "midwife", "Specialist or community midwife"
    NAMED_PHN = "named_phn", "Named PHN for Safeguarding or deputy"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    GUEST = "guest", "Guest"
    PARTNERSHIP_ANALYST = "partnership_analyst", "Learning and improvement analyst"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"


class Role(models.Model):
    code = models.CharField(max_length=40, unique=True, choices=RoleCode.choices)
    name = models.CharField(max_length=100)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CscTeam(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding Children's Team"
    DUTY_AND_ASSESSMENT = "duty_and_assessment", "Duty and Assessment Team"


class User(AbstractUser):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    localities = models.ManyToManyField(Locality, blank=True, related_name="users")
    job_title = models.CharField(max_length=150, blank=True)
    team = models.CharField(max_length=30, choices=CscTeam.choices, blank=True)
    # Set when an administrator sets the password: the person must choose their own
    # before any other page (web.middleware.TwoFactorMiddleware).
    must_change_password = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # What the object reads once and keeps; forgotten when its roles or localities are
    # changed through it (accounts.apps), so it never answers from before.
    SCOPE_CACHED = ("_roles", "role_codes", "locality_ids")

    def forget_scope(self) -> None:
        for name in self.SCOPE_CACHED:
            self.__dict__.pop(name, None)

    @cached_property
    def _roles(self) -> list[tuple[str, str]]:
        """(code, name) of each role, read once for the object: the permission checks
        and the audit row's role_description share one query a request."""
        return list(self.roles.values_list("code", "name"))

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(code for code, _ in self._roles)

    @cached_property
    def locality_ids(self) -> frozenset[int]:
        return frozenset(self.localities.values_list("id", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    def role_description(self) -> str:
        """ "Social worker, Children's Social Care": the job title (else the roles) and the
        agency, as the case history names who did something; each audit row keeps the one
        its actor had then. The roles prefetched (lists of actors), if they are."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("roles")
        names = (
            [role.name for role in prefetched]
            if prefetched is not None
            else [name for _, name in self._roles]
        )
        roles = self.job_title or ", ".join(sorted(names))
        agency = self.agency.name if self.agency_id is not None else ""
        return ", ".join(part for part in (roles, agency) if part)


class SignIn(models.Model):
    """One sign-in: a browser's session, so a person can see where they are signed in and
    end a session they no longer trust (web.middleware.SessionLifetimeMiddleware signs out
    a session whose sign-in has ended)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_ins")
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} from {self.started_at:%Y-%m-%d %H:%M}"
