from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Pages, layout and GOV.UK components"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from web.middleware import end_sign_in, start_sign_in_lifetime

        user_logged_in.connect(start_sign_in_lifetime, dispatch_uid="web.sign_in_lifetime")
        user_logged_out.connect(end_sign_in, dispatch_uid="web.sign_in_end")
