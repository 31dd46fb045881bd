from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "civiclink.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self):
        from civiclink.participation import features  # noqa: F401  (registers the features)
