"""Forms of the self-assessment, the committee's evaluation and its decision. Each indicator has forms of its own
(prefixed with its id), so that one page can carry many and an error shows beside the indicator it concerns."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civiclink.governance import assessment
from civiclink.governance.models import Decision

EVIDENCE_EXTENSIONS = ["pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv", "jpg", "jpeg", "png"]
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _range_error(benchmark) -> str:
    return _("Choose a level from %(lowest)s to %(highest)s.") % {
        "lowest": benchmark.maturity_min,
        "highest": benchmark.maturity_max,
    }


class IndicatorForm(forms.Form):
    """The team's level and justification for one indicator, with the revision it was loaded at."""

    level = forms.TypedChoiceField(
        label=_("Maturity level"), coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why this level: what exists, since when, and where the evidence is."),
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, benchmark, indicator, *args, current=None, **kwargs):
        kwargs.setdefault("prefix", f"indicator-{indicator.pk}")
        if current is not None:
            kwargs.setdefault(
                "initial",
                {"level": current.level, "justification": current.justification, "revision": current.revision},
            )
        else:
            kwargs.setdefault("initial", {"revision": 0})
        super().__init__(*args, **kwargs)
        self.levels = assessment.levels(benchmark, indicator)
        self.fields["level"].choices = [(level.value, self._label(level)) for level in self.levels]
        self.fields["level"].error_messages["invalid_choice"] = _range_error(benchmark)

    @staticmethod
    def _label(level) -> str:
        """Starts with the level's name, so that the radio button is found and announced by it."""
        text = format_html(
            '<span class="level-name">{}</span> <span class="level-number">({})</span>', level.name, level.value
        )
        if level.description:
            text = format_html('{} — <span class="level-text">{}</span>', text, level.description)
        return text


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title of the evidence"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    url = forms.URLField(label=_("or a link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, indicator, *args, **kwargs):
        kwargs.setdefault("prefix", f"evidence-{indicator.pk}")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, office document, spreadsheet or image, up to %(size)s.") % {
            "size": filesizeformat(EVIDENCE_MAX_BYTES)
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.") % {"size": filesizeformat(EVIDENCE_MAX_BYTES)}, code="size"
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("url"):
            self.add_error("file", forms.ValidationError(_("Add a file or a link."), code="empty"))
        return cleaned


class AdjustmentForm(forms.Form):
    """The committee's level for one indicator and why it differs from the team's."""

    level = forms.TypedChoiceField(label=_("Level set by the committee"), coerce=int, empty_value=None)
    reason = forms.CharField(
        label=_("Reason for the adjustment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, benchmark, indicator, *args, current=None, **kwargs):
        kwargs.setdefault("prefix", f"adjust-{indicator.pk}")
        if current is not None and current.adjusted_level is not None:
            kwargs.setdefault("initial", {"level": current.adjusted_level, "reason": current.adjustment_reason})
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            ("", _("Choose a level")),
            *((level.value, f"{level.value} – {level.name}") for level in assessment.levels(benchmark)),
        ]
        self.fields["level"].error_messages["invalid_choice"] = _range_error(benchmark)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, label) for value, label in Decision.choices if value != Decision.PENDING],
        widget=forms.RadioSelect,
    )
    minutes = forms.CharField(
        label=_("Minutes of the committee"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who met, what was examined, and the reasons for the decision."),
    )
    valid_from = forms.DateField(
        label=_("Label valid from"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm_ineligible = forms.BooleanField(
        label=_("Award the label although not every rule of the platform is met"), required=False
    )

    def __init__(self, *args, eligible: bool, validity_years: int, **kwargs):
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.eligible = eligible
        self.fields["valid_from"].help_text = ngettext(
            "Only for a label: it is valid for %(years)s year from this date.",
            "Only for a label: it is valid for %(years)s years from this date.",
            validity_years,
        ) % {"years": validity_years}
        if eligible:
            del self.fields["confirm_ineligible"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.LABEL:
            if cleaned.get("valid_from") is None and not self.has_error("valid_from"):
                cleaned["valid_from"] = timezone.localdate()
            if not self.eligible and not cleaned.get("confirm_ineligible"):
                self.add_error(
                    "confirm_ineligible",
                    forms.ValidationError(
                        _("The rules for the label are not all met. Tick this box to award it nevertheless."),
                        code="ineligible",
                    ),
                )
        return cleaned
