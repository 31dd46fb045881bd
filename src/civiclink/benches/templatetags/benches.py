"""The site navigation's link to the fleet, on every page, without a query on most: staff by their flag (kept in
step with the staff role); others by their municipal roles when the request has read them already, else by an
answer remembered for a few minutes. The dashboard's views always ask the rule itself."""

from django import template
from django.core.cache import cache

from civiclink.places.rules import municipal_roles_loaded, officer_municipality_ids

register = template.Library()
NAV_SECONDS = 300  # a municipal role granted or withdrawn shows in the navigation within this time


@register.simple_tag
def may_see_fleet(user) -> bool:
    """Whether to show the link: staff and municipal officers (`benches.view_fleet`)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or municipal_roles_loaded(user):
        return user.is_staff or bool(officer_municipality_ids(user))
    key = f"benches:nav:{user.pk}"
    allowed = cache.get(key)
    if allowed is None:
        allowed = bool(officer_municipality_ids(user))
        cache.set(key, allowed, NAV_SECONDS)
    return allowed
