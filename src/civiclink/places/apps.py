from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "civiclink.places"
    label = "places"
    verbose_name = _("Directory")

    def ready(self):
        from civiclink.core.pagecache import expire_when_changed
        from civiclink.places import personal_data  # noqa: F401  (registers the directory's personal data)
        from civiclink.places.models import LocalCommunity, Municipality, NetworkMembership, Organisation, Sector

        expire_when_changed(
            Municipality, LocalCommunity, Sector, Organisation, Organisation.sectors.through, NetworkMembership
        )
