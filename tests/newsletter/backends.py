"""A mail backend that answers like an SMTP server for some recipients: what `sending` must cope with."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """The test outbox, except for addresses at refused.example (550: a hard bounce), busy.example (450: try again
    later) and broken.example (the connection drops). Counts how often it was opened."""

    opened = 0

    def open(self):
        RefusingBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                domain = address.rpartition("@")[2]
                if domain == "refused.example":
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 No such user")})
                if domain == "busy.example":
                    raise smtplib.SMTPRecipientsRefused({address: (450, b"4.2.1 Mailbox busy, try later")})
                if domain == "broken.example":
                    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
