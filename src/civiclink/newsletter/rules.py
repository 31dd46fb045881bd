"""Who may do what with the newsletter: staff compose, test and send issues and see subscribers and their consent
records (read-only; deleting a subscriber is their erasure). An issue is edited and sent while it is a draft only."""

import rules

from civiclink.accounts.rules import is_staff_member


@rules.predicate
def is_draft(user, issue) -> bool:
    """Without an issue (a model-level check, e.g. for the menu), it passes: each issue is checked on its own."""
    return issue is None or issue.is_draft


for action in ("view", "add"):
    rules.add_perm(f"newsletter.{action}_issue", is_staff_member)
for action in ("change", "delete"):
    rules.add_perm(f"newsletter.{action}_issue", is_staff_member & is_draft)
rules.add_perm("newsletter.send_issue", is_staff_member & is_draft)
rules.add_perm("newsletter.view_subscriber", is_staff_member)
rules.add_perm("newsletter.delete_subscriber", is_staff_member)
rules.add_perm("newsletter.view_consent", is_staff_member)
