from django.apps import AppConfig


class PostnatalConfig(AppConfig):
    name = "postnatal"
    verbose_name = "Birth and after"
