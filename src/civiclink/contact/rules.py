"""Who reads and answers contact messages: the staff responsible for a message's topic, and staff who may answer
every topic (superusers, and groups given the "answer all messages" permission). Staff manage the topics."""

import rules

from civiclink.accounts.rules import is_staff_member


def responsible_topic_ids(user) -> set[int]:
    """The topics the user answers for, loaded once per request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_contact_topic_ids", None)
    if cached is None:
        cached = user._contact_topic_ids = set(user.contact_topics.values_list("pk", flat=True))
    return cached


@rules.predicate
def has_answer_all_permission(user) -> bool:
    """Granted to a group in the back office (Django's permission, not a rule: no recursion)."""
    return user.has_perm("contact.answer_all_messages")


@rules.predicate
def answers_for_some_topic(user) -> bool:
    return bool(responsible_topic_ids(user))


@rules.predicate
def answers_for_topic(user, message) -> bool:
    return message is not None and message.topic_id in responsible_topic_ids(user)


answers_every_topic = is_staff_member & has_answer_all_permission

rules.add_perm("contact.view_inbox", answers_every_topic | (is_staff_member & answers_for_some_topic))
rules.add_perm("contact.answer_message", answers_every_topic | (is_staff_member & answers_for_topic))
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"contact.{action}_topic", is_staff_member)
