"""The organiser's forms: a meeting, and what happened at it."""

from django import forms
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from civiclink.participation.models import Meeting

TEXT_MAX = 10_000
MINUTES_MAX = 50_000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and expects


def limit_length(field: forms.CharField, limit: int) -> None:
    """A model's TextField has no length limit: cap it in the form, with the browser told the same."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "online_url",
            "agenda",
            "capacity",
            "registration_open",
            "cancelled",
        ]
        widgets = {
            "starts_at": DateTimeLocal(),
            "ends_at": DateTimeLocal(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "place": _("A room or building. Give a place, an online link, or both."),
            "online_url": _("For example the link of a video call."),
            "agenda": _("One item per line."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("description", "agenda"):
            limit_length(self.fields[name], TEXT_MAX)
        self.fields["capacity"].validators.append(MinValueValidator(1))
        self.fields["capacity"].widget.attrs["min"] = "1"

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        taken = self.instance.registered_count
        if capacity is not None and capacity < taken:
            raise forms.ValidationError(
                _("%(count)d people have already registered: the capacity cannot be lower.") % {"count": taken}
            )
        return capacity

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if not data.get("place") and not data.get("online_url") and "online_url" not in self.errors:
            self.add_error("place", _("Give the place of the meeting, an online link, or both."))
        return data


class OutcomeForm(forms.ModelForm):
    """Attendance and minutes, after the meeting."""

    class Meta:
        model = Meeting
        fields = ["attendance", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"attendance": _("How many people came, registered or not.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["minutes"], MINUTES_MAX)
