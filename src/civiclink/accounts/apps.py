from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civiclink.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from civiclink.accounts import roles  # noqa: F401  (connects the staff-access signal)
