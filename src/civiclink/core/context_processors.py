from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Free pages that every site has; staff edit them in the back office, the footer links to them by slug.
FOOTER_PAGES = [
    ("about", _("About")),
    ("privacy", _("Privacy")),
    ("terms", _("Terms of use")),
    ("accessibility", _("Accessibility statement")),
]


def site(request):
    return {"ENVIRONMENT": settings.ENVIRONMENT, "footer_pages": FOOTER_PAGES}
