"""The base of every refusal that domain functions raise for a person to read."""

from django.utils.translation import gettext_lazy as _


class UserError(Exception):
    """A request refused, with a translated message fit to show the person who made it. Subclasses set
    `default_message`; a raise may pass a more precise one."""

    default_message = _("This could not be done. Please check what you entered and try again.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))
