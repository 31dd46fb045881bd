"""The manager's forms: what a result promises, and a dated progress update."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.participation.forms_meetings import TEXT_MAX, limit_length
from civiclink.participation.models import Result, ResultStatus, ResultUpdate


class ResultForm(forms.ModelForm):
    """What was promised. Status and progress move only with updates, so that each change has its date and words."""

    class Meta:
        model = Result
        fields = ["title", "description", "budget", "starts_on", "ends_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"budget": _("In convertible marks (BAM). Leave empty if there is no budget.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["description"], TEXT_MAX)
        self.fields["budget"].validators.append(MinValueValidator(0))
        self.fields["budget"].widget.attrs["min"] = "0"

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The planned end cannot come before the start."))
        return data


class UpdateForm(forms.ModelForm):
    class Meta:
        model = ResultUpdate
        fields = ["date", "status", "progress", "text"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "progress": forms.NumberInput(attrs={"min": "0", "max": "100"}),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, result: Result, **kwargs):
        kwargs.setdefault(
            "initial", {"date": timezone.localdate(), "status": result.status, "progress": result.progress}
        )
        super().__init__(*args, **kwargs)
        limit_length(self.fields["text"], TEXT_MAX)
        self.fields["progress"].validators.append(MaxValueValidator(100))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("An update tells what has happened: its date cannot be in the future."))
        return date

    def clean(self):
        data = super().clean()
        if data.get("status") == ResultStatus.DONE and data.get("progress") not in (None, 100):
            self.add_error("progress", _("A result can only be marked as done at 100 % progress."))
        return data
