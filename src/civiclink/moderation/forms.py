"""Forms of the moderation pages: a report by anyone, a moderator's decision, a block. Decisions always carry a
reason: the author is told it, and it stays in the contribution's history."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civiclink.moderation.models import ReportReason

DETAILS_MAX = 1000
REASON_MAX = 2000


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should the moderators look at this?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        help_text=_("Anything that helps the moderators, for example what is wrong and where."),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(forms.Form):
    """Hiding, restoring or blocking: the reason is required and shown to the person concerned."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The author is told this reason. Write it so that they understand what to change."),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["reason"].help_text = help_text
