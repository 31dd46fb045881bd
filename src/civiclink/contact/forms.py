from django import forms
from django.utils.translation import gettext_lazy as _

from civiclink.contact import receiving
from civiclink.contact.models import Message, Topic

HONEYPOT = "website"


def _one_line(value: str) -> str:
    """Names and subjects end up in e-mail headers and lists: no line breaks, no runs of spaces."""
    return " ".join(value.split())


class ContactForm(forms.Form):
    """The public contact form. The honeypot is left out of `visible_fields` (the page renders it apart, visually
    hidden and out of the tab order); the stamp is a hidden field signed when the form is shown."""

    name = forms.CharField(label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the acknowledgement and our answer to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), label=_("Topic"), empty_label=_("Choose a topic"))
    subject = forms.CharField(label=_("Subject"), max_length=Message._meta.get_field("subject").max_length)
    body = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("stamp", receiving.new_stamp())
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(active=True)

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT]

    @property
    def honeypot(self):
        return self[HONEYPOT]

    def caught_in_honeypot(self) -> bool:
        return self.is_bound and bool(self.data.get(self.add_prefix(HONEYPOT), "").strip())

    def clean_name(self):
        return _one_line(self.cleaned_data["name"])

    def clean_subject(self):
        return _one_line(self.cleaned_data["subject"])

    def clean(self):
        try:
            receiving.check_stamp(self.cleaned_data.get("stamp", ""))
        except receiving.StampError as error:
            raise forms.ValidationError(error.message, code="stamp") from None
        return self.cleaned_data

    def renew_stamp(self) -> None:
        """Before the form is shown again: a fresh stamp, and what the person typed is kept."""
        self.data = self.data.copy()
        self.data[self.add_prefix("stamp")] = receiving.new_stamp()

    def message_fields(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("name", "email", "subject", "body", "topic")}


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("E-mailed to the sender, with their message quoted below it. Write in the language they wrote in."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see it; the sender does not."),
    )
