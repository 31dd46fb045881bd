import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.accounts import gdpr
from civiclink.accounts.forms import DeleteAccountForm, ProfileForm
from civiclink.core.permissions import permission_required


@permission_required("accounts.view_own_account")
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "organisation_memberships": request.user.organisation_memberships.select_related("organisation"),
        "municipal_roles": request.user.municipal_roles.select_related("municipality"),
        "platform_roles": request.user.platform_roles.all(),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
@permission_required("accounts.export_own_data")
def export_data(request):
    data = json.dumps(gdpr.export_user_data(request.user), indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="civiclink-my-data.json"'
    return response


@permission_required("accounts.delete_own_account")
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        gdpr.delete_account(user)
        messages.success(request, _("Your account has been deleted. Your public contributions remain, anonymised."))
        return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})
