from django import forms
from django.utils.translation import gettext_lazy as _

from civiclink.search import registry
from civiclink.search.query import MAX_QUERY


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"), max_length=MAX_QUERY, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    type = forms.ChoiceField(label=_("Look in"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Everything")), *((k.key, k.label_plural) for k in registry.kinds())]
