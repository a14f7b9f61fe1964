from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Case timelines"

    def ready(self):
        from timeline import checks  # noqa: F401
