"""Following processes and proposals, the notification settings, and the unsubscribe page of the e-mails."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from civiclink.moderation.models import Visibility
from civiclink.participation import following
from civiclink.participation.models import Follow, NotificationSettings, Process, Proposal
from civiclink.participation.notify import title_of
from civiclink.participation.views.common import see_other

# What can be followed, by the name used in URLs and templates (`{% url 'participation:follow' "proposal" pk %}`).
FOLLOWABLE = {
    "process": Process.objects.select_related("municipality"),
    "proposal": Proposal.objects.select_related("process__municipality"),
}


def _process_of(target) -> Process:
    return target if isinstance(target, Process) else target.process


def _visible(user, target) -> bool:
    if not rules.has_perm("participation.view_process", user, _process_of(target)):
        return False
    return getattr(target, "visibility", Visibility.VISIBLE) == Visibility.VISIBLE


def _followable(request, kind: str, pk: int):
    """The target, if the visitor may see it, or follows it already (so that they can always stop)."""
    if kind not in FOLLOWABLE:
        raise Http404("Nothing of this kind can be followed.")
    target = FOLLOWABLE[kind].filter(pk=pk).first()
    if target is None:
        raise Http404("Nothing to follow.")
    if not _visible(request.user, target) and not following.is_following(request.user, target):
        raise Http404("Nothing to follow.")
    return target


def _next(request, target) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return target.get_absolute_url()


@require_POST
def follow(request, kind, pk):
    """Follow, or stop following (a toggle). With htmx, the button is swapped for its new state."""
    target = _followable(request, kind, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(target.get_absolute_url())
    now_following = following.toggle(request.user, target)
    if now_following:
        status = _("You now follow “%(title)s”: we will e-mail you when something happens.")
    else:
        status = _("You no longer follow “%(title)s”.")
    status %= {"title": title_of(target)}
    if request.headers.get("HX-Request"):
        context = {
            "kind": kind,
            "target": target,
            "following": now_following,
            "status": status,
            "follow_next": _next(request, target),
        }
        return render(request, "participation/_follow.html", context)
    messages.success(request, status)
    return see_other(_next(request, target))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["frequency", "follow_own"]
        widgets = {"frequency": forms.RadioSelect}


def _followed(user) -> dict[str, list]:
    """What the user follows and still may see, per kind, in one query per kind."""
    ids = {kind: [] for kind in FOLLOWABLE}
    labels = {queryset.model._meta.model_name: kind for kind, queryset in FOLLOWABLE.items()}
    for model_name, object_id in Follow.objects.filter(user=user).values_list("content_type__model", "object_id"):
        if model_name in labels:
            ids[labels[model_name]].append(object_id)
    return {
        kind: [target for target in FOLLOWABLE[kind].filter(pk__in=ids[kind]) if _visible(user, target)]
        for kind in FOLLOWABLE
    }


@login_required
def notification_settings(request):
    settings = following.settings_for(request.user)
    form = SettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings have been saved."))
        return see_other("participation:notification_settings")
    context = {"form": form, "followed": _followed(request.user)}
    return render(request, "participation/notification_settings.html", context)


@csrf_exempt  # the signed token is the proof; mail programs post the one-click request without a CSRF cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows what the link will do and a button (link checkers must not unsubscribe anybody); POST does it.
    The one-click POST of mail programs (RFC 8058) gets a plain answer, never a redirect."""
    unsubscription = following.read_unsubscribe_token(token)
    if unsubscription is None:
        return render(request, "participation/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        unsubscription.apply()
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
        return see_other(request.path)
    follow_target = unsubscription.follow.target if unsubscription.follow else None
    context = {
        "unsubscription": unsubscription,
        "follow_target": follow_target,
        "settings_url": reverse("participation:notification_settings"),
    }
    response = render(request, "participation/unsubscribe.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to the pages linked from here
    return response


urlpatterns = [
    path("follow/<str:kind>/<int:pk>/", follow, name="follow"),
    path("notifications/", notification_settings, name="notification_settings"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
