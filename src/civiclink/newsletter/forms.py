"""The public forms (subscribing, preferences) and the issue's form in the back office."""

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from civiclink.newsletter.models import Theme
from civiclink.newsletter.subscriptions import CONSENT_TEXT
from civiclink.places.models import Municipality


class TrapInput(forms.TextInput):
    """The honeypot: out of sight, out of the tab order and of the accessibility tree; bots fill it in. Counted
    among the hidden fields, so that core/form.html renders it with them (with its own label)."""

    is_hidden = True

    def __init__(self):
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off"})

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="newsletter-trap" aria-hidden="true"><label for="{}">{}</label>{}</div>',
            (attrs or {}).get("id", ""),
            _("Leave this field empty"),
            field,
        )


class TopicsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose no municipality and no theme to receive every issue in your language."),
    )


class SubscribeForm(TopicsForm):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(
        label=CONSENT_TEXT, error_messages={"required": _("Please agree, or we cannot send you the newsletter.")}
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False, widget=TrapInput())

    field_order = ["email", "language", "municipalities", "themes", "consent", "website"]


class IssueForm(WagtailAdminModelForm):
    themes = forms.MultipleChoiceField(
        label=_("For subscribers of these themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        """Only live articles in the issue's language: the e-mail links to them."""
        cleaned = super().clean()
        language = cleaned.get("language")
        formset = self.formsets.get("issue_articles")
        if not language or formset is None or not formset.is_valid():
            return cleaned
        for form in formset.forms:
            article = form.cleaned_data.get("article")
            if article is None or form.cleaned_data.get("DELETE"):
                continue
            if not article.live or article.locale.language_code != language:
                self.add_error(
                    None,
                    _("“%(title)s” is not a published article in the language of this issue.")
                    % {"title": article.title},
                )
        return cleaned
