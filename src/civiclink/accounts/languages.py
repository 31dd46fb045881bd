"""Writing to people in their language: each user chooses the language of the platform's e-mails
(`User.language`, first set to the language they signed up in; `User.email_language` falls back to the site's).
Mail to several people is split by it."""

from django.conf import settings


def addresses_by_language(users, *, extra: list[str] = ()) -> dict[str, list[str]]:
    """{language: addresses} of `users` (a queryset), each once; `extra` addresses that belong to no user are
    written to in the site's language."""
    grouped: dict[str, list[str]] = {}
    seen = set()
    for email, language in users.exclude(email="").order_by("email").values_list("email", "language"):
        if email.lower() not in seen:
            seen.add(email.lower())
            grouped.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    for email in extra:
        if email.lower() not in seen:
            seen.add(email.lower())
            grouped.setdefault(settings.LANGUAGE_CODE, []).append(email)
    return grouped
