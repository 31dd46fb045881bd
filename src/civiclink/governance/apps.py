from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "civiclink.governance"
    label = "governance"
    verbose_name = _("Good governance (ELoGE)")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from civiclink.governance.models import Campaign, Cycle, Item, Questionnaire
        from civiclink.governance.responses import forget_items

        post_save.connect(_forget_cycle_results, sender=Cycle, dispatch_uid="governance_forget_cycle_results")
        post_save.connect(_forget_campaign_results, sender=Campaign, dispatch_uid="governance_forget_results")
        for model in (Item, Questionnaire):
            for signal in (post_save, post_delete):
                signal.connect(forget_items, sender=model, dispatch_uid=f"governance_forget_items_{model.__name__}")


def _forget_cycle_results(sender, instance, **kwargs):
    """Cached results carry the cycle's rules (weights, thresholds): a changed rule rescores its campaigns."""
    from civiclink.governance.scoring import forget

    for campaign_id in instance.campaigns.values_list("pk", flat=True):
        forget(campaign_id)


def _forget_campaign_results(sender, instance, **kwargs):
    """Cached results and pages show the campaign too (published or not, self-assessment submitted)."""
    from civiclink.governance.scoring import forget

    forget(instance.pk)
