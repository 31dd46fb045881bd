import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civiclink.places.models import Municipality, Organisation, Sector

MAX_LOGO_BYTES = 2 * 1024 * 1024


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
            "founded_year": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1800, "max": 2100}),
        }
        labels = {"language": _("Language of the description")}
        error_messages = {
            "registration_number": {"unique": _("An organisation with this registration number is already registered.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.all()
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
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise ValidationError(_("The logo may be at most 2 MB."), code="too_large")
        return logo


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
