"""What every governance view needs: the campaign, if the visitor may do the thing asked."""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from civiclink.governance.models import Campaign


def campaign_for(request, pk: int, permission: str) -> Campaign:
    """The campaign with what its pages show about it; the 403 page (with a login link for anonymous visitors)
    without `permission`. The rule itself is asked, so that phases bind superusers too."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("cycle__benchmark", "cycle__platform", "municipality"), pk=pk
    )
    if not rules.has_perm(permission, request.user, campaign):
        raise PermissionDenied
    return campaign
