from django.apps import AppConfig
from django.db.models.signals import m2m_changed


def _forget_scope(sender, instance, action, reverse, **kwargs) -> None:
    """A user's roles or localities changed through the object: it reads them afresh."""
    if action.startswith("post_") and not reverse:
        instance.forget_scope()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, agencies, roles and localities"

    def ready(self) -> None:
        from accounts.models import User

        for through in (User.roles.through, User.localities.through):
            m2m_changed.connect(_forget_scope, sender=through, dispatch_uid=f"scope-{through}")
