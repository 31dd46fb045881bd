"""A signed-in visitor for the loads, made by the data scripts once Django is set up (`django.setup()`)."""

from django.conf import settings
from django.test import Client


def signed_in(user) -> dict[str, str]:
    """The name the pages show to `user` and a session cookie of theirs, with which the load generator signs in."""
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {"visitor": user.display_name, "session_cookie": cookie}
