from django.apps import AppConfig


class ItaPortalConfig(AppConfig):
    """The glue: template tags for Thai output, shared static files, the site's pages."""

    name = "itaportal"
    verbose_name = "ITA Portal"
