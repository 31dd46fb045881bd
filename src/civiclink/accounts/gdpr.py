"""A user's own data: export all of it, or delete the account while keeping public contributions anonymous.

Each app registers what it holds about a person; the account views only call `export_user_data` and
`delete_account`, so a new module adds its data here instead of editing the views.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PersonalDataSource:
    name: str
    export: Callable[[object], object]
    anonymise: Callable[[object], None] | None = None


_sources: dict[str, PersonalDataSource] = {}


def register(name: str, export: Callable, anonymise: Callable | None = None) -> None:
    _sources[name] = PersonalDataSource(name, export, anonymise)


def export_user_data(user) -> dict:
    return {
        "exported_at": timezone.now().isoformat(),
        **{name: source.export(user) for name, source in sorted(_sources.items())},
    }


@transaction.atomic
def delete_account(user) -> None:
    """Remove what identifies the person; contributions stay public under an anonymous name."""
    for source in _sources.values():
        if source.anonymise:
            source.anonymise(user)
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()


def _export_account(user) -> dict:
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        "platform_roles": list(user.platform_roles.values_list("role", flat=True)),
        "two_factor_methods": list(user.authenticator_set.values_list("type", flat=True)),
    }


def _anonymise_account(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    user.authenticator_set.all().delete()
    user.platform_roles.all().delete()


register("account", _export_account, _anonymise_account)
