"""The directory: municipalities, their local communities, civil-society organisations and the CSO network."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civiclink.core.i18n import search_key, to_cyrillic
from civiclink.core.models import TranslatableContent


class Entity(models.TextChoices):
    FBIH = "FBiH", _("Federation of Bosnia and Herzegovina")
    RS = "RS", _("Republika Srpska")
    BD = "BD", _("Brčko District")


class NamedPlace(TranslatableContent):
    """A place named in Latin script, with its official Cyrillic name where there is one."""

    name = models.CharField(_("name (Latin script)"), max_length=120)
    name_cyrillic = models.CharField(_("name (Cyrillic script)"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    translatable_fields = ("description",)

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the script of the visitor's language: Cyrillic for Serbian and Macedonian."""
        if (get_language() or "") in {"sr", "mk"}:
            return self.name_cyrillic or to_cyrillic(self.name)
        return self.name


class Municipality(NamedPlace):
    entity = models.CharField(_("entity"), max_length=4, choices=Entity.choices)
    region = models.CharField(_("canton or region"), max_length=120, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    coat_of_arms = models.ImageField(_("coat of arms"), upload_to="municipalities/", blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="municipality_slug_unique"),
            models.UniqueConstraint(fields=["name"], name="municipality_name_unique"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="municipality_lat"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="municipality_lon",
            ),
            models.CheckConstraint(condition=Q(entity__in=[e.value for e in Entity]), name="municipality_entity"),
        ]

    def get_absolute_url(self):
        return reverse("places:municipality", args=[self.slug])


class LocalCommunity(NamedPlace):
    """A mjesna zajednica (месна заједница): the neighbourhood or village level below a municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="communities", verbose_name=_("municipality")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("local community")
        verbose_name_plural = _("local communities")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="community_slug_unique"),
            models.UniqueConstraint(fields=["municipality", "name"], name="community_name_unique"),
        ]


class Sector(TranslatableContent):
    """A field of work of organisations (youth, environment, ...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=80)

    translatable_fields = ("name",)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["slug"]

    def __str__(self):
        return self.localised("name")


class Organisation(TranslatableContent):
    """A civil-society organisation. Listed publicly once staff have verified it."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    registration_number = models.CharField(
        _("registration number"),
        max_length=40,
        unique=True,
        help_text=_("The number under which the organisation is entered in the register of associations."),
    )
    sectors = models.ManyToManyField(Sector, related_name="organisations", verbose_name=_("sectors"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("municipality")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")

    translatable_fields = ("description",)

    def save(self, *args, **kwargs):
        self.search_text = search_key(" ".join([self.legal_name, self.short_name, self.description]))
        if self.verified and self.verified_at is None:
            self.verified_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "verified_at"}
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1800, founded_year__lte=2100),
                name="organisation_founded_year_range",
            ),
            models.CheckConstraint(
                condition=Q(verified=False) | Q(verified_at__isnull=False), name="organisation_verified_has_date"
            ),
        ]
        indexes = [models.Index(fields=["verified", "legal_name"], name="organisation_listing")]

    def __str__(self):
        return self.short_name or self.legal_name

    def get_absolute_url(self):
        return reverse("places:organisation", args=[self.slug])

    @property
    def is_network_member(self) -> bool:
        return hasattr(self, "network_membership")


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="organisation_membership_unique"),
            models.CheckConstraint(condition=Q(role__in=["member", "admin"]), name="organisation_membership_role"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class MunicipalRole(models.Model):
    class Role(models.TextChoices):
        OFFICER = "officer", _("Municipal officer")
        COUNCILLOR = "councillor", _("Councillor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="municipal_roles")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("municipal role")
        verbose_name_plural = _("municipal roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="municipal_role_unique"),
            models.CheckConstraint(condition=Q(role__in=["officer", "councillor"]), name="municipal_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.municipality} · {self.get_role_display()}"


class NetworkMembership(models.Model):
    """An organisation's membership of the CSO network."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="network_membership")
    joined_on = models.DateField(_("joined on"))
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        ordering = ["organisation__legal_name"]

    def __str__(self):
        return str(self.organisation)


class Coalition(TranslatableContent):
    """Network members that advocate together on one cause."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    purpose = models.TextField(_("purpose"))
    founded_on = models.DateField(_("founded on"))
    members = models.ManyToManyField(
        Organisation, through="CoalitionMembership", related_name="coalitions", verbose_name=_("members")
    )

    translatable_fields = ("name", "purpose")

    class Meta:
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places:coalition", args=[self.slug])


class CoalitionMembership(models.Model):
    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="coalition_memberships")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        verbose_name = _("coalition membership")
        verbose_name_plural = _("coalition memberships")
        constraints = [models.UniqueConstraint(fields=["coalition", "organisation"], name="coalition_member_unique")]

    def __str__(self):
        return f"{self.organisation} · {self.coalition}"


class JointStatement(TranslatableContent):
    """A public statement of a coalition, co-signed by its member organisations."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="statements")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    body = models.TextField(_("text"))
    published_on = models.DateField(_("published on"))

    translatable_fields = ("title", "body")

    class Meta:
        verbose_name = _("joint statement")
        verbose_name_plural = _("joint statements")
        ordering = ["-published_on"]
        constraints = [models.UniqueConstraint(fields=["coalition", "slug"], name="statement_slug_unique")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("places:statement", args=[self.coalition.slug, self.slug])


class StatementSignature(models.Model):
    statement = models.ForeignKey(JointStatement, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signatures")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["statement", "organisation"], name="statement_signature_unique")]

    def __str__(self):
        return f"{self.organisation} · {self.statement}"
