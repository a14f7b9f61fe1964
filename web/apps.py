from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Pages, layout and GOV.UK components"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from web.middleware import start_sign_in_lifetime

        user_logged_in.connect(start_sign_in_lifetime, dispatch_uid="web.sign_in_lifetime")
