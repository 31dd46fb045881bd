import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civiclink.accounts.models import User
from civiclink.places.models import Municipality, Organisation, OrganisationMembership, Sector

MAX_IMAGE_BYTES = 2 * 1024 * 1024


def limit_image_size(image):
    if image and getattr(image, "size", 0) > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image may be at most 2 MB."), code="too_large")
    return image


def normalise_registration_number(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "legal_name",
            "short_name",
            "registration_number",
            "municipality",
            "sectors",
            "address",
            "email",
            "phone",
            "website",
            "founded_year",
            "language",
            "description",
            "logo",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
        }
        labels = {"language": _("Language of the description")}
        error_messages = {
            "registration_number": {"unique": _("An organisation with this registration number is already registered.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.all()
        # The model's limits, not the 0 that a positive integer field would put in the browser's hint.
        self.fields["founded_year"].widget.attrs.update({"inputmode": "numeric", "min": 1800, "max": 2100})
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].empty_label = _("Choose a municipality")

    def clean_registration_number(self):
        number = normalise_registration_number(self.cleaned_data["registration_number"])
        if not re.fullmatch(r"[0-9A-Z./\-]{3,40}", number):
            raise ValidationError(
                _("Enter the registration number as it appears in the register: digits, letters, dots, dashes."),
                code="invalid",
            )
        taken = Organisation.objects.filter(registration_number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(self.Meta.error_messages["registration_number"]["unique"], code="unique")
        return number

    def clean_logo(self):
        return limit_image_size(self.cleaned_data.get("logo"))


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All sectors"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("All municipalities"),
    )
    network = forms.BooleanField(label=_("Network members only"), required=False)


class SignStatementForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Sign on behalf of"), queryset=Organisation.objects.none())

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MunicipalityForm(forms.ModelForm):
    """What a municipal officer may change on the municipality's public profile."""

    class Meta:
        model = Municipality
        fields = ["website", "coat_of_arms", "language", "description"]
        labels = {"language": _("Language of the description")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
        }

    def clean_coat_of_arms(self):
        return limit_image_size(self.cleaned_data.get("coat_of_arms"))


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMembership.Role.choices)

    def __init__(self, organisation, *args, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                _("Nobody with this e-mail address has an account yet. Ask them to sign up first, then add them."),
                code="unknown_user",
            )
        if self.organisation.memberships.filter(user=user).exists():
            raise ValidationError(_("This person is already a member of the organisation."), code="duplicate")
        self.user = user
        return email
