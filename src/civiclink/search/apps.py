"""Search"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "civiclink.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        """Import every project app's `search.py` (like django-rules' autodiscovery of `rules.py`): each registers
        its searchable kinds."""
        from importlib import import_module

        from django.apps import apps
        from django.utils.module_loading import module_has_submodule

        from civiclink.search import registry

        for config in apps.get_app_configs():
            if config.name.startswith("civiclink.") and module_has_submodule(config.module, "search"):
                import_module(f"{config.name}.search")
        registry.connect_page_signals()
