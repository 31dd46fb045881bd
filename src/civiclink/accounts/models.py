from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person, identified by e-mail address. Organisation and municipal roles are memberships (see `places`)."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language of e-mails"),
        max_length=7,
        choices=settings.LANGUAGES,
        blank=True,  # not chosen: the site's language, whichever it is when the e-mail is written
        help_text=_("CivicLink writes to you in this language."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(language__in=["", *(code for code, _name in settings.LANGUAGES)]),
                name="user_language_valid",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class Role(models.TextChoices):
    EVALUATOR = "evaluator", _("Evaluator")
    TRAINER = "trainer", _("Trainer")
    MODERATOR = "moderator", _("Moderator")
    STAFF = "staff", _("Project staff")


class PlatformRole(models.Model):
    """A role across the whole platform, granted by staff."""

    Role = Role
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="platform_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("platform role")
        verbose_name_plural = _("platform roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="platform_role_unique"),
            models.CheckConstraint(condition=models.Q(role__in=[r.value for r in Role]), name="platform_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"
