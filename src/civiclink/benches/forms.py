"""The staff dashboard's forms: a bench's register entry, its status, its desired configuration, photos, and the
filters of the fleet and dead-letter lists."""

import json

import rules
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civiclink.accounts.rules import is_staff_member
from civiclink.benches.health import State
from civiclink.benches.models import Bench, BenchPhoto, Reason, Sensor, Status
from civiclink.places.forms import limit_image_size
from civiclink.places.models import LocalCommunity, Municipality
from civiclink.places.rules import officer_municipality_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_INTERVAL = 24 * 3600  # seconds: a bench that reports less than daily cannot be judged online or offline


def municipalities_of(user):
    """The municipalities whose benches `user` runs: all for staff, an officer's own."""
    if is_staff_member(user):
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=officer_municipality_ids(user))


class BenchForm(forms.ModelForm):
    """A bench in the register: where it stands, what it is and how often it reports."""

    sensors = forms.MultipleChoiceField(
        label=_("Sensors fitted"),
        choices=Sensor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Battery, solar input, charging, Wi-Fi clients and enclosure temperature are always reported."),
    )

    class Meta:
        model = Bench
        fields = [
            "community",
            "name",
            "address",
            "latitude",
            "longitude",
            "installed_on",
            "hardware_version",
            "sensors",
            "reporting_interval",
        ]
        widgets = {"installed_on": DATE}
        help_texts = {
            "latitude": _("Decimal degrees, for example 43.343."),
            "longitude": _("Decimal degrees, for example 17.808."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["community"].queryset = LocalCommunity.objects.filter(
            municipality__in=municipalities_of(user)
        ).select_related("municipality")
        self.fields["community"].label_from_instance = lambda community: (
            f"{community.display_name} ({community.municipality.display_name})"
        )
        self.fields["reporting_interval"].widget.attrs.update({"min": 10, "max": MAX_INTERVAL})

    def clean_community(self):
        community = self.cleaned_data["community"]
        if not rules.has_perm("benches.add_bench", self.user, community.municipality):
            raise forms.ValidationError(_("You may not place benches in this local community."))
        return community

    def clean_reporting_interval(self):
        interval = self.cleaned_data["reporting_interval"]
        if not 10 <= interval <= MAX_INTERVAL:
            raise forms.ValidationError(
                _("Enter between %(low)d and %(high)d seconds.") % {"low": 10, "high": MAX_INTERVAL}
            )
        return interval

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise forms.ValidationError(_("Enter both the latitude and the longitude, or neither."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


CONFIG_KEYS = {
    "reporting_interval": _("reporting_interval must be a whole number of seconds between 10 and 86400."),
    "languages": _("languages must be a list of the platform's language codes."),
    "brightness": _("brightness must be a whole number from 0 to 100."),
}


def check_config(config: dict) -> list[str]:
    """What is wrong with the known keys of a configuration (other keys are passed to the bench as they are)."""
    problems = []
    interval = config.get("reporting_interval", 10)
    if isinstance(interval, bool) or not isinstance(interval, int) or not 10 <= interval <= MAX_INTERVAL:
        problems.append(CONFIG_KEYS["reporting_interval"])
    languages = config.get("languages", [])
    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(languages, list) or not all(isinstance(code, str) and code in codes for code in languages):
        problems.append(CONFIG_KEYS["languages"])
    brightness = config.get("brightness", 0)
    if isinstance(brightness, bool) or not isinstance(brightness, int) or not 0 <= brightness <= 100:
        problems.append(CONFIG_KEYS["brightness"])
    return problems


class ConfigForm(forms.Form):
    """The desired configuration as a JSON object, sent to the bench as it is written here."""

    config = forms.CharField(
        label=_("Configuration (JSON)"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "code"}),
        help_text=_(
            'A JSON object, for example {"reporting_interval": 300, "languages": ["bs", "en"], '
            '"brightness": 80}. Saving gives it the next version and sends it to the bench.'
        ),
    )

    def clean_config(self):
        text = self.cleaned_data["config"]
        try:
            config = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s, column %(column)s): check quotes, commas and brackets.")
                % {"line": getattr(error, "lineno", "?"), "column": getattr(error, "colno", "?")}
            ) from None
        if not isinstance(config, dict):
            raise forms.ValidationError(_("The configuration must be a JSON object: {…}."))
        if len(json.dumps(config)) > settings.BENCH_MAX_MESSAGE_BYTES:
            raise forms.ValidationError(
                _("The configuration may be at most %(limit)d bytes long.")
                % {"limit": settings.BENCH_MAX_MESSAGE_BYTES}
            )
        if problems := check_config(config):
            raise forms.ValidationError(problems)
        return config


class PhotoForm(forms.ModelForm):
    class Meta:
        model = BenchPhoto
        fields = ["image", "alt_text", "taken_on"]
        widgets = {"taken_on": DATE}
        help_texts = {"alt_text": _("What the photo shows, for people who cannot see it.")}

    def clean_image(self):
        return limit_image_size(self.cleaned_data["image"])


class FleetFilter(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All"),
        to_field_name="slug",
    )
    health = forms.ChoiceField(label=_("Health"), choices=[("", _("All")), *State.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Status.choices], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_of(user).only("pk", "name", "name_cyrillic", "slug")


class DeadLetterFilter(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("All")), *Reason.choices], required=False)
    bench = forms.CharField(
        label=_("Bench"), required=False, max_length=80, help_text=_("The bench's id, or part of its name.")
    )
