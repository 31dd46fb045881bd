"""Forms of problems and proposals: the list's filters, the author's form, the municipality's answer and a CSO's
endorsement. Every limit says what is wrong in a complete, translated sentence."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civiclink.participation.models import Proposal, ProposalKind, ProposalState
from civiclink.participation.models.proposals import BODY_MAX
from civiclink.participation.proposals import AUTHOR_FIELDS, REJECTION_NEEDS_REASON, member_organisations
from civiclink.participation.queries import DEFAULT_SORT, SORTS, Facets, communities_for
from civiclink.places.models import LocalCommunity, Municipality

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
REASON_MAX = 2000


def _counted(label, count: int) -> str:
    return f"{label} ({count})"


class ProcessFilterForm(forms.Form):
    """The list of processes, by municipality (those that have a published process)."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.filter(processes__published=True).distinct().order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("All municipalities"),
    )

    def chosen_municipality(self) -> Municipality | None:
        return self.cleaned_data.get("municipality") if self.is_valid() else None


class ProposalFilterForm(forms.Form):
    """The list's filters (GET). A value that is not valid is ignored, not an error page: `filters()` keeps only
    the valid ones. Choices are built from rows already read, so validating costs no query."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, widget=forms.SearchInput(attrs={"enterkeyhint": "search"})
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    community = forms.TypedChoiceField(label=_("Local community"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=list(SORTS.items()))

    def __init__(self, data, *, categories, communities, facets: Facets):
        super().__init__(data)
        self.fields["kind"].choices = [
            ("", pgettext_lazy("kinds", "All")),
            *self._with_counts(ProposalKind.choices, facets.kind),
        ]
        self.fields["state"].choices = [
            ("", pgettext_lazy("states", "All")),
            *self._with_counts(ProposalState.choices, facets.state),
        ]
        self.fields["category"].choices = [
            ("", pgettext_lazy("categories", "All")),
            *self._with_counts(((c.pk, c.localised("name")) for c in categories), facets.category),
        ]
        self.fields["community"].choices = [
            ("", pgettext_lazy("communities", "All")),
            *self._with_counts(((c.pk, c.display_name) for c in communities), facets.community),
        ]
        if not categories:
            del self.fields["category"]
        if not communities:
            del self.fields["community"]

    @staticmethod
    def _with_counts(choices, counts: dict) -> list:
        return [(value, _counted(label, counts.get(value, 0))) for value, label in choices]

    def filters(self) -> dict:
        """The valid filters, ready for `queries.proposal_list`."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned[name] for name in ("q", "kind", "state", "category", "community") if cleaned.get(name)}
        values["sort"] = cleaned.get("sort") or DEFAULT_SORT
        return values


class ProposalForm(forms.ModelForm):
    """What an author writes. The photo must be a JPEG, PNG or WebP image of at most 5 MB, with a description."""

    class Meta:
        model = Proposal
        fields = AUTHOR_FIELDS
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 8}),
            "latitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        labels = {"kind": _("What do you want to do?"), "body": _("Description")}
        help_texts = {
            "address": _("Where is it? A street, a building or a landmark."),
            "latitude": _("Optional, for the map: for example 43.343500."),
            "longitude": _("Optional, for the map: for example 17.807900."),
            "photo": _("Optional. A JPEG, PNG or WebP image of at most 5 MB."),
            "photo_alt": _("Say what the photo shows, for people who cannot see it."),
        }

    def __init__(self, *args, process, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ProposalKind.choices
        self.fields["kind"].label = self.Meta.labels["kind"]
        self.fields["category"].queryset = process.categories.order_by("position", "name")
        self.fields["category"].empty_label = _("No category")
        if not self.fields["category"].queryset.exists():
            del self.fields["category"]
        communities = [community.pk for community in communities_for(process)]
        self.fields["community"].queryset = LocalCommunity.objects.filter(pk__in=communities).order_by("name")
        self.fields["community"].empty_label = _("The whole municipality")
        if not communities:
            del self.fields["community"]
        organisations = member_organisations(user)
        if organisations.exists():
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = _("Myself, in my own name")
        else:
            del self.fields["organisation"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "image"):  # nothing new uploaded
            return photo
        if photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo may be at most 5 MB. Please choose a smaller one."), code="too_large")
        if photo.image.format not in PHOTO_FORMATS:
            raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="invalid_image")
        return photo

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if {"latitude", "longitude"} <= set(cleaned) and (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("latitude", _("The latitude must be between -90 and 90."))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("longitude", _("The longitude must be between -180 and 180."))
        if cleaned.get("photo") and not cleaned.get("photo_alt", "").strip():
            self.add_error("photo_alt", _("Describe the photo for people who cannot see it."))
        return cleaned

    def changes(self) -> dict:
        """The cleaned values of the fields this form shows, for `proposals.create_proposal` / `update`."""
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class AnswerForm(forms.Form):
    """The municipality's public answer and the proposal's new state; a rejection needs its reason."""

    answer = forms.CharField(
        label=_("Answer of the municipality"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    state = forms.ChoiceField(label=_("State of the proposal"), choices=ProposalState.choices)
    reason = forms.CharField(
        label=_("Reason for the change of state"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the proposal's history. Required when you reject the proposal."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == ProposalState.REJECTED and not cleaned.get("reason", "").strip():
            self.add_error("reason", REJECTION_NEEDS_REASON)
        return cleaned


class EndorseForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(user)
