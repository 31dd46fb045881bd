from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "civiclink.places"
    label = "places"
    verbose_name = _("Directory")

    def ready(self):
        from civiclink.places import personal_data  # noqa: F401  (registers the directory's personal data)
