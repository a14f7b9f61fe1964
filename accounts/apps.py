from django.apps import AppConfig
from django.db.models.signals import m2m_changed

# What a User object reads once and keeps (accounts.models.User): forgotten when its
# roles or localities change through it, so the same object never answers from before.
_SCOPE_CACHE = ("_roles", "role_codes", "locality_ids")


def _forget_scope(sender, instance, action, reverse, **kwargs) -> None:
    if action.startswith("post_") and not reverse:
        for name in _SCOPE_CACHE:
            instance.__dict__.pop(name, None)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, agencies, roles and localities"

    def ready(self) -> None:
        from accounts.models import User

        for through in (User.roles.through, User.localities.through):
            m2m_changed.connect(_forget_scope, sender=through, dispatch_uid=f"scope-{through}")
