"""The process dashboard's forms. The features form and the capability grids are generated from the registry:
a new feature, setting or action shows up here without a change to this module."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civiclink.participation.features import registry
from civiclink.participation.forms_meetings import DateTimeLocal, limit_length
from civiclink.participation.models import Audience, Category, Phase, Process
from civiclink.participation.processes import PROCESS_FIELDS, ProcessError, municipalities_for
from civiclink.places.forms import limit_image_size
from civiclink.places.models import LocalCommunity

DESCRIPTION_MAX = 20_000
PHASE_DESCRIPTION_MAX = 5_000


def _field_name(name: str) -> str:
    """ "supports.limit" (how the domain names a setting or an action) as a form field name."""
    return name.replace(".", "__")


def show_error(form: forms.Form, error: ProcessError) -> None:
    """Put a refusal of the domain on the field it concerns, or above the form."""
    field = _field_name(error.field) if error.field else None
    form.add_error(field if field in form.fields else None, error.message)


class ProcessForm(forms.ModelForm):
    """A process's description; the municipality is chosen once, when the process is created."""

    class Meta:
        model = Process
        fields = ["municipality", *PROCESS_FIELDS, "communities"]
        widgets = {
            "summary": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 8}),
            "communities": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "summary": _("One sentence shown in lists of processes."),
            "image_alt": _("What the image shows, for people who cannot see it."),
            "communities": _("Leave empty if the process concerns the whole municipality."),
            "level": _("How far people take part, from being informed to working together with the municipality."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["description"], DESCRIPTION_MAX)
        if self.instance.pk:
            del self.fields["municipality"]
            municipalities = [self.instance.municipality_id]
        else:
            choices = municipalities_for(user)
            self.fields["municipality"].queryset = choices
            municipalities = choices.values("pk")
            if len(choices) == 1:
                self.fields["municipality"].initial = choices[0].pk
        self.fields["communities"].queryset = LocalCommunity.objects.filter(
            municipality__in=municipalities
        ).select_related("municipality")
        self.fields["communities"].label_from_instance = lambda community: (
            f"{community.display_name} ({community.municipality.display_name})"
        )

    def clean_image(self):
        return limit_image_size(self.cleaned_data.get("image"))

    def values(self) -> dict:
        """The fields for `processes.create_process`/`update_process`, as the model form set them on its
        instance (which knows what an image input that was cleared or left alone means)."""
        return {name: getattr(self.instance, name) for name in PROCESS_FIELDS}


class FeaturesForm(forms.Form):
    """A checkbox per feature of the registry, each followed by fields for its settings."""

    def __init__(self, *args, process: Process, **kwargs):
        super().__init__(*args, **kwargs)
        used = {row.feature: row.settings for row in process.features.all()}
        for feature in registry:
            self.fields[feature.key] = forms.BooleanField(
                label=_("Use %(feature)s") % {"feature": feature.name},
                help_text=feature.description,
                required=False,
                initial=feature.key in used,
            )
            for setting in feature.settings:
                initial = used.get(feature.key, {}).get(setting.name, setting.default)
                if setting.kind is bool:
                    field = forms.BooleanField(label=setting.label, required=False, initial=initial)
                else:
                    field = forms.IntegerField(
                        label=setting.label,
                        required=False,
                        initial=initial,
                        widget=forms.NumberInput(attrs={"min": setting.minimum, "inputmode": "numeric"}),
                    )
                self.fields[_field_name(f"{feature.key}.{setting.name}")] = field

    def groups(self) -> list[dict]:
        """For a fieldset per feature: the feature, its checkbox, its settings' fields, the features it needs."""
        return [
            {
                "feature": feature,
                "checkbox": self[feature.key],
                "settings": [self[_field_name(f"{feature.key}.{s.name}")] for s in feature.settings],
                "requires": [registry[key].name for key in feature.requires],
            }
            for feature in registry
        ]

    def chosen(self) -> dict[str, dict]:
        """{feature key: settings} of the features ticked, for `processes.set_features`."""
        return {
            feature.key: {s.name: self.cleaned_data[_field_name(f"{feature.key}.{s.name}")] for s in feature.settings}
            for feature in registry
            if self.cleaned_data[feature.key]
        }


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "description", "starts_at", "ends_at"]
        widgets = {
            "starts_at": DateTimeLocal(),
            "ends_at": DateTimeLocal(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": _("For example “Proposals”, “Supports” or “Evaluation”."),
            "description": _("What happens in this phase and what people can do."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["description"], PHASE_DESCRIPTION_MAX)

    def _post_clean(self):
        """The dates are checked by `processes` (end after start, no overlap), with the message shown once."""


class CapabilitiesForm(forms.Form):
    """For one phase: who may do each action of the features the process uses ("closed" for nobody)."""

    def __init__(self, *args, phase: Phase, actions, **kwargs):
        kwargs.setdefault("prefix", f"phase-{phase.pk}")
        super().__init__(*args, **kwargs)
        self.phase = phase
        granted = {(c.feature, c.action): c.audience for c in phase.capabilities.all()}
        self.actions = actions
        choices = [("", _("Closed: nobody")), *Audience.choices]
        for feature, action in actions:
            self.fields[_field_name(f"{feature.key}.{action.name}")] = forms.ChoiceField(
                label=action.label, choices=choices, required=False, initial=granted.get((feature.key, action.name), "")
            )

    def groups(self):
        """(feature, the fields of its actions) for a fieldset per feature."""
        grouped: dict = {}
        for feature, action in self.actions:
            grouped.setdefault(feature, []).append(self[_field_name(f"{feature.key}.{action.name}")])
        return list(grouped.items())

    def granted(self) -> dict[str, str]:
        """{"feature.action": audience or ""} for `processes.set_capabilities`."""
        return {
            f"{feature.key}.{action.name}": self.cleaned_data[_field_name(f"{feature.key}.{action.name}")]
            for feature, action in self.actions
        }


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "position"]
        help_texts = {"position": _("Categories are listed by position, then by name.")}

    def _post_clean(self):
        """The name's uniqueness in the process is checked by `processes`."""
