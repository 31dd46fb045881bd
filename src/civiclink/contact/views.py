"""The public contact form, at /<language>/contact/. It works without JavaScript; after sending, the browser is
redirected to the "sent" page, which a bot caught in the honeypot sees too."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from civiclink.contact import emails, inbox, receiving
from civiclink.contact.forms import ContactForm


def _see_other(url: str) -> HttpResponseRedirect:
    """The redirect after a successful POST (303: the browser follows it with GET)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@never_cache  # a fresh stamp and CSRF token on every view
def contact(request):
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.caught_in_honeypot():
            return _see_other(reverse("contact:sent"))
        status = 400
        if form.is_valid():
            if not receiving.over_rate_limit(request, form.cleaned_data["email"]):
                receiving.submit(**form.message_fields(), language=get_language(), user=request.user)
                return _see_other(reverse("contact:sent"))
            form.add_error(
                None,
                _(
                    "Many messages came from your network or with your e-mail address in a short time. "
                    "Please try again later."
                ),
            )
            status = 429
        form.renew_stamp()
    else:
        user = request.user
        form = ContactForm(initial={"name": user.get_full_name(), "email": user.email} if user.is_authenticated else {})
    context = {"form": form, "retention_days": inbox.retention_days()}
    return render(request, "contact/form.html", context, status=status)


def sent(request):
    return render(request, "contact/sent.html", {"answer_days": emails.ANSWER_WORKING_DAYS})
