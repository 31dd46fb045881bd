from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchesConfig(AppConfig):
    name = "civiclink.benches"
    label = "benches"
    verbose_name = _("Smart benches")
