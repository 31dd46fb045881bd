from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "civiclink.contact"
    label = "contact"
    verbose_name = _("Contact")

    def ready(self):
        from civiclink.contact import personal_data  # noqa: F401  (registers the contact messages' personal data)
