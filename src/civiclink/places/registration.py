"""A CSO registers itself; staff verify it before it is listed in the directory."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civiclink.accounts.languages import addresses_by_language
from civiclink.accounts.models import Role
from civiclink.core.i18n import search_key
from civiclink.places.models import Organisation, OrganisationMembership


class DuplicateRegistration(Exception):
    """Another organisation took the registration number between the form check and the save."""


def unique_slug(model, text: str, field: str = "slug") -> str:
    base = slugify(search_key(text))[:100] or "organisation"
    slug, n = base, 1
    while model.objects.filter(**{field: slug}).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def register_organisation(form, user, attempts: int = 3) -> Organisation:
    """Save a registration form's organisation, unverified, with the registering user as its administrator.

    Two registrations at once may pick the same free slug; the later one then takes the next slug.
    """
    organisation = form.save(commit=False)
    organisation.verified = False
    for attempt in range(attempts):
        organisation.slug = unique_slug(Organisation, organisation.short_name or organisation.legal_name)
        try:
            with transaction.atomic():
                organisation.save()
                form.save_m2m()
                OrganisationMembership.objects.create(
                    user=user, organisation=organisation, role=OrganisationMembership.Role.ADMIN
                )
        except IntegrityError as error:
            organisation.pk = None
            number_taken = Organisation.objects.filter(registration_number=organisation.registration_number).exists()
            if number_taken or attempt == attempts - 1:
                raise DuplicateRegistration from error
        else:
            break
    _tell_staff_about(organisation)
    return organisation


def _tell_staff_about(organisation: Organisation) -> None:
    """One e-mail per language of the project staff."""
    staff = get_user_model().objects.filter(platform_roles__role=Role.STAFF, is_active=True)
    values = {"name": organisation.legal_name, "url": settings.SITE_URL + reverse("wagtailadmin_home")}
    for language, recipients in addresses_by_language(staff).items():
        with translation.override(language):
            send_mail(
                _("New organisation to verify: %(name)s") % values,
                _("%(name)s has registered on CivicLink. Check its details and verify it: %(url)s") % values,
                None,
                recipients,
            )


def verify_organisation(organisation: Organisation) -> None:
    organisation.verified = True
    organisation.save(update_fields=["verified"])
