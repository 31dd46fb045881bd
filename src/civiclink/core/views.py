from django.http import HttpResponse
from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def floor(request):
    """Does no work: the benchmark's baseline for what the middleware stack and the server cost on their own."""
    return HttpResponse("ok", content_type="text/plain")
