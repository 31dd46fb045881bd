"""What every governance view needs: the campaign, if the visitor may do the thing asked."""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from civiclink.governance.models import Campaign


def campaign_or_404(pk: int) -> Campaign:
    """The campaign with what its pages show about it (cycle, benchmark, platform, municipality)."""
    return get_object_or_404(
        Campaign.objects.select_related("cycle__benchmark", "cycle__platform", "municipality"), pk=pk
    )


def campaign_for(request, pk: int, permission: str) -> Campaign:
    """`campaign_or_404`; the 403 page (with a login link for anonymous visitors)
    without `permission`. The rule itself is asked, so that phases bind superusers too."""
    campaign = campaign_or_404(pk)
    if not rules.has_perm(permission, request.user, campaign):
        raise PermissionDenied
    return campaign
