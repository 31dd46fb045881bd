from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "civiclink.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from civiclink.moderation import registry as moderation
        from civiclink.participation import comments, features, personal_data  # noqa: F401  (registries, signals)
        from civiclink.participation.models import Comment, Proposal

        moderation.register(Proposal, municipality="process__municipality", label=_("proposal"))
        moderation.register(Comment, municipality="process__municipality", label=_("comment"))
