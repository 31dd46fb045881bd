"""Forms of the questionnaires: built from the campaign's items, so that each item is a field with its own errors
and nothing typed is lost when the form comes back."""

from email.utils import parseaddr

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from civiclink.governance.invitations import INVITED_AUDIENCES, MAX_CODES_PER_BATCH
from civiclink.governance.models import Audience, Item
from civiclink.governance.responses import DONT_KNOW_MARKER, InvalidAnswers, Scale

DONT_KNOW = "dk"
AGREEMENT = (
    _("Strongly disagree"),
    _("Disagree"),
    _("Neither agree nor disagree"),
    _("Agree"),
    _("Strongly agree"),
)
MAX_ADDRESSES = 500


def scale_choices(scale: Scale) -> list[tuple[str, str]]:
    """Words for a five-point scale; numbers, with the ends named, for any other."""
    values = scale.values()
    if len(values) == len(AGREEMENT):
        labels = list(AGREEMENT)
    else:
        labels = [str(value) for value in values]
        labels[0] = _("%(value)d – strongly disagree") % {"value": values[0]}
        labels[-1] = _("%(value)d – strongly agree") % {"value": values[-1]}
    return [(str(value), label) for value, label in zip(values, labels, strict=True)]


SKIPPED = object()  # the cleaned value of a question left out ("don't know" is None)


class AnswerField(forms.CharField):
    """A typed answer (see `Scale.parse`); empty is a skipped question."""

    def __init__(self, scale: Scale, **kwargs):
        self.scale = scale
        super().__init__(required=False, max_length=3, strip=True, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return SKIPPED
        try:
            return self.scale.parse(text)
        except ValueError:
            raise ValidationError(self.invalid_message(), code="invalid") from None

    def invalid_message(self) -> str:
        if 0 in self.scale:
            message = _("Type a number from %(low)d to %(high)d, %(marker)s for “don't know”, or leave it empty.")
        else:
            message = _("Type a number from %(low)d to %(high)d, 0 or %(marker)s for “don't know”, or leave it empty.")
        return message % {"low": self.scale.low, "high": self.scale.high, "marker": DONT_KNOW_MARKER}


class QuestionnaireForm(forms.Form):
    """One optional field per item, named `item-<id>`; `answers()` gives what `responses.submit` takes."""

    def __init__(self, items: list[Item], scale: Scale, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.scale = scale
        for number, item in enumerate(items, start=1):
            field = self.fields[self.field_name(item)] = self.item_field(item)
            field.label = _("Question %(number)d") % {"number": number}  # in the error summary; the page shows the text

    @staticmethod
    def field_name(item: Item) -> str:
        return f"item-{item.pk}"

    def item_field(self, item: Item) -> forms.Field:
        raise NotImplementedError

    @property
    def questions(self) -> list[tuple[int, Item, forms.BoundField]]:
        """(number, item, field) in the questionnaire's order, for the template."""
        return [(number, item, self[self.field_name(item)]) for number, item in enumerate(self.items, start=1)]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.answers():
            raise ValidationError(InvalidAnswers.default_message)
        return cleaned

    def answers(self) -> dict[int, int | None]:
        answers = {}
        for item in self.items:
            value = self.cleaned_data.get(self.field_name(item), SKIPPED)
            if value is not SKIPPED:
                answers[item.pk] = value
        return answers


class SurveyForm(QuestionnaireForm):
    """The web questionnaire: a radio button per point of the scale and "don't know"; with the leaflet's code
    when the campaign asks for one."""

    def __init__(self, items, scale, *args, ask_code: bool = False, **kwargs):
        super().__init__(items, scale, *args, **kwargs)
        if ask_code:
            self.fields["code"] = forms.CharField(
                label=_("Code from your leaflet"),
                help_text=_("The eight letters and digits printed on the leaflet, for example ABCD-EFGH."),
                max_length=20,
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
            )

    def item_field(self, item):
        return forms.TypedChoiceField(
            required=False,
            choices=[*scale_choices(self.scale), (DONT_KNOW, _("Don't know"))],
            coerce=lambda value: None if value == DONT_KNOW else int(value),
            empty_value=SKIPPED,
            widget=forms.RadioSelect,
        )


class PaperForm(QuestionnaireForm):
    """A paper questionnaire typed in: the digit of each answer, ? (or 0 where 0 is not on the scale) for "don't
    know", nothing for a skipped question."""

    def item_field(self, item):
        return AnswerField(self.scale)


class InvitationForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Questionnaire"),
        choices=[(audience.value, capfirst(audience.label)) for audience in Audience if audience in INVITED_AUDIENCES],
        initial=Audience.COUNCILLORS,
        widget=forms.RadioSelect,
    )
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        help_text=_(
            "One per line: the address alone, or a name followed by the address in angle brackets, as e-mail "
            "programs copy it."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_addresses(self) -> list[tuple[str, str]]:
        """[(name, address)]; every line that is not an address is named in the error."""
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines()]
        people, wrong = [], []
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            name, address = parseaddr(line)
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(_("line %(line)d (“%(text)s”)") % {"line": number, "text": line})
                continue
            people.append((name, address))
        if wrong:
            raise ValidationError(
                _("These lines are not e-mail addresses: %(lines)s.") % {"lines": "; ".join(str(w) for w in wrong)}
            )
        if len(people) > MAX_ADDRESSES:
            raise ValidationError(_("Please send at most %(count)d invitations at a time.") % {"count": MAX_ADDRESSES})
        return people


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=MAX_CODES_PER_BATCH,
        initial=200,
        help_text=_("One per household that gets a leaflet. Eight leaflets fit on an A4 sheet."),
    )
