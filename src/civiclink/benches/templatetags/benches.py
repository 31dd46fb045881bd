"""The site navigation's link to the fleet, on every page: asked of the rule once per user and then remembered
for a few minutes in the cache, so that pages do not pay two role queries each for one link. The dashboard's views
always ask the rule itself."""

import rules
from django import template
from django.core.cache import cache

register = template.Library()
NAV_SECONDS = 300  # a role granted or withdrawn shows in the navigation within this time


@register.simple_tag
def may_see_fleet(user) -> bool:
    if not user.is_authenticated:
        return False
    key = f"benches:nav:{user.pk}"
    allowed = cache.get(key)
    if allowed is None:
        allowed = rules.has_perm("benches.view_fleet", user)
        cache.set(key, allowed, NAV_SECONDS)
    return allowed
