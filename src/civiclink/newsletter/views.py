"""The public side: subscribing, confirming, preferences, unsubscribing, and the archive of sent issues.

Pages reached through a signed link are never cached: the link is the key to them. (The site's Referrer-Policy,
"same-origin", keeps it from other sites; "no-referrer" would make browsers post their forms with "Origin: null",
which the CSRF check refuses.)"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from civiclink.core import ratelimit
from civiclink.newsletter import composing, subscriptions
from civiclink.newsletter.forms import SubscribeForm, TopicsForm
from civiclink.newsletter.models import Issue, Subscriber
from civiclink.newsletter.subscriptions import Link
from civiclink.participation.views.common import see_other


def _limited(request, email: str) -> bool:
    """Count a request for a confirmation e-mail; True once the client or the address asked too often."""
    by_client = ratelimit.over_limit(request, "newsletter-subscribe", subscriptions.RATE_LIMIT_PER_CLIENT)
    by_address = ratelimit.hit(
        "newsletter-address", subscriptions.address_key(email), subscriptions.RATE_LIMIT_PER_ADDRESS
    )
    return by_client or by_address


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # the honeypot: the same answer as everybody, and nothing done
            return see_other("newsletter:check_inbox")
        if _limited(request, data["email"]):
            form.add_error(None, _("Too many subscription requests. Please try again in an hour."))
        else:
            subscriptions.subscribe(
                data["email"], language=data["language"], municipalities=data["municipalities"], themes=data["themes"]
            )
            return see_other("newsletter:check_inbox")
    return render(request, "newsletter/subscribe.html", {"form": form})


def check_inbox(request):
    """The same answer whether the address was new, waiting or subscribed: it reveals nothing."""
    return render(request, "newsletter/check_inbox.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners open links: they must not subscribe anybody); POST confirms."""
    state, subscriber = subscriptions.read_confirmation(token)
    if state is Link.VALID and request.method == "POST":
        subscriptions.confirm(subscriber)
        return see_other(request.path)
    context = {"state": state.value, "token": token}
    if state is Link.USED:
        context["manage_url"] = reverse("newsletter:preferences", args=[subscriptions.manage_token(subscriber)])
    status = 400 if state in {Link.INVALID, Link.EXPIRED} else 200
    return render(request, "newsletter/confirm.html", context, status=status)


@never_cache
@require_POST
def resend(request, token):
    """A new confirmation link in place of an expired one."""
    state, subscriber = subscriptions.read_confirmation(token)
    if state not in {Link.VALID, Link.EXPIRED}:
        return render(request, "newsletter/confirm.html", {"state": Link.INVALID.value}, status=400)
    if _limited(request, subscriber.email):
        context = {"state": state.value, "token": token, "limited": True}
        return render(request, "newsletter/confirm.html", context, status=429)
    subscriptions.send_confirmation(subscriber)
    return see_other("newsletter:check_inbox")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    subscriber = subscriptions.read_manage_token(token)
    if subscriber is None:
        return render(request, "newsletter/preferences.html", {"invalid": True}, status=400)
    context = {"subscriber": subscriber}
    if subscriber.status == Subscriber.Status.CONFIRMED:
        initial = {
            "language": subscriber.language,
            "municipalities": list(subscriber.municipalities.all()),
            "themes": subscriber.themes,
        }
        form = TopicsForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            subscriptions.change_preferences(subscriber, **form.cleaned_data)
            messages.success(request, _("Your preferences have been saved."))
            return see_other(request.path)
        context["form"] = form
        context["unsubscribe_url"] = reverse(
            "newsletter:unsubscribe", args=[subscriptions.unsubscribe_token(subscriber)]
        )
    return render(request, "newsletter/preferences.html", context)


@never_cache
@csrf_exempt  # the signed token is the credential; mail programs post the one-click request without a cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button (link checkers must not unsubscribe anybody); POST unsubscribes at once. The one-click
    POST of mail programs (RFC 8058) gets a plain answer, never a redirect."""
    subscriber = subscriptions.read_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
        return see_other(request.path)
    done = subscriber.status == Subscriber.Status.UNSUBSCRIBED
    return render(request, "newsletter/unsubscribe.html", {"done": done})


def archive(request):
    issues = Issue.objects.exclude(status=Issue.Status.DRAFT).filter(language=get_language()).order_by("-queued_at")
    page = Paginator(issues, settings.CIVICLINK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "newsletter/archive.html", {"page": page})


def issue(request, pk):
    """An issue as a web page: the same content as the e-mail, without anybody's personal links."""
    issue = get_object_or_404(Issue.objects.exclude(status=Issue.Status.DRAFT), pk=pk)
    return render(request, "newsletter/issue.html", composing.web_context(issue))
