"""Platform-wide role predicates, and the permissions on one's own account."""

import rules

from civiclink.accounts.models import Role


def has_platform_role(role: str):
    @rules.predicate(name=f"has_platform_role:{role}")
    def predicate(user) -> bool:
        if not user.is_authenticated:
            return False
        cached = getattr(user, "_platform_roles", None)
        if cached is None:
            cached = user._platform_roles = set(user.platform_roles.values_list("role", flat=True))
        return role in cached

    return predicate


is_superuser = rules.is_superuser
is_staff_member = is_superuser | has_platform_role(Role.STAFF)
is_evaluator = has_platform_role(Role.EVALUATOR)
is_trainer = has_platform_role(Role.TRAINER)
is_moderator = is_staff_member | has_platform_role(Role.MODERATOR)

rules.add_perm("accounts.view_own_account", rules.is_authenticated)
rules.add_perm("accounts.export_own_data", rules.is_authenticated)
rules.add_perm("accounts.delete_own_account", rules.is_authenticated & ~is_superuser)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"accounts.{action}_platformrole", is_staff_member)
rules.add_perm("wagtailadmin.access_admin", is_staff_member)
