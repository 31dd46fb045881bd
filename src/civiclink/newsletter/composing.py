"""An issue as an e-mail (HTML with a plain-text alternative) and as a web page of the archive.

The e-mail is rendered once per issue and batch; what is personal in it, the two signed links, is written into
placeholders for each subscriber. Every address in it is absolute: mail programs have no page to resolve against.
"""

import html
import re
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError
from wagtail.rich_text import expand_db_html

from civiclink.newsletter.models import Issue, Subscriber
from civiclink.newsletter.subscriptions import absolute, manage_token, unsubscribe_token
from civiclink.pages.models import SiteFooter

# Stand-ins for the signed tokens, replaced per subscriber; a token is URL-safe, so no escaping differs.
MANAGE_PLACEHOLDER = "MANAGE-TOKEN"
UNSUBSCRIBE_PLACEHOLDER = "UNSUBSCRIBE-TOKEN"
IMAGE_RENDITION = "width-600"
DELIVERY_HEADER = "X-CivicLink-Delivery"
_DELIVERY = signing.Signer(salt="civiclink.newsletter.delivery")
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


@dataclass
class ArticleSummary:
    title: str
    summary: str
    url: str
    image_url: str
    image_alt: str


def absolute_links(markup: str) -> str:
    """Rich text links to pages and documents as absolute addresses."""
    return _ROOT_RELATIVE.sub(lambda match: f"{match.group(1)}{absolute('/')}", markup)


def html_to_text(markup: str) -> str:
    """Rich text as plain text: paragraphs and list items on their own lines, links followed by their address."""
    markup = re.sub(r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", markup, flags=re.S)
    markup = re.sub(r"<br\s*/?>", "\n", markup)
    markup = re.sub(r"<li[^>]*>", "\n- ", markup)
    markup = re.sub(r"</(p|h[1-6]|ul|ol)>", "\n\n", markup)
    text = html.unescape(strip_tags(markup))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def articles(issue: Issue) -> list[ArticleSummary]:
    """The issue's articles in their order: title, summary, absolute address and image (absolute, with its text)."""
    found = []
    for choice in issue.issue_articles.select_related("article", "article__main_image"):
        article = choice.article
        parts = article.get_url_parts()
        if parts is None:  # not routable (no site): nothing to link to
            continue
        image_url = ""
        if article.main_image:
            try:
                image_url = absolute(article.main_image.get_rendition(IMAGE_RENDITION).url)
            except SourceImageIOError:  # the file is missing: the article is still worth its link
                image_url = ""
        found.append(
            ArticleSummary(
                title=article.title,
                summary=article.summary,
                url=absolute(parts[2]),
                image_url=image_url,
                image_alt=article.main_image_alt,
            )
        )
    return found


def web_context(issue: Issue) -> dict:
    """What the web page of the archive and the e-mail share."""
    intro = absolute_links(expand_db_html(issue.intro))
    closing = absolute_links(expand_db_html(issue.closing))
    return {
        "issue": issue,
        "articles": articles(issue),
        "intro_html": intro,
        "closing_html": closing,
        "intro_text": html_to_text(intro),
        "closing_text": html_to_text(closing),
    }


class Letter:
    """One issue's e-mail, ready to personalise: `message(subscriber)` costs two signatures and a copy."""

    def __init__(self, issue: Issue):
        self.issue = issue
        with translation.override(issue.language):
            funding, _language = SiteFooter.texts(issue.language)["funding_acknowledgement"]
            context = web_context(issue) | {
                "funding_acknowledgement": funding,
                "web_url": absolute(reverse("newsletter:issue", args=[issue.pk])) if issue.pk else "",
                "subscribe_url": absolute(reverse("newsletter:subscribe")),
                "manage_url": absolute(reverse("newsletter:preferences", args=[MANAGE_PLACEHOLDER])),
                "unsubscribe_url": self.unsubscribe_url(UNSUBSCRIBE_PLACEHOLDER),
            }
            self.html = render_to_string("newsletter/email/issue.html", context)
            self.text = render_to_string("newsletter/email/issue.txt", context)

    def unsubscribe_url(self, token: str) -> str:
        with translation.override(self.issue.language):
            return absolute(reverse("newsletter:unsubscribe", args=[token]))

    @staticmethod
    def _personal(content: str, manage: str, unsubscribe: str) -> str:
        return content.replace(MANAGE_PLACEHOLDER, manage).replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe)

    def _message(self, subject: str, to: str, manage: str, unsubscribe: str, **kwargs) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(subject, self._personal(self.text, manage, unsubscribe), None, [to], **kwargs)
        message.attach_alternative(self._personal(self.html, manage, unsubscribe), "text/html")
        return message

    def message(self, subscriber: Subscriber, delivery_id: int | None = None) -> EmailMultiAlternatives:
        """The e-mail to one subscriber, with the one-click unsubscription of RFC 8058 in its headers, a mailto:
        unsubscription whose subject carries the signed token, and the signed delivery that bounce reports quote
        (both read by `inbound`)."""
        unsubscribe = unsubscribe_token(subscriber)
        unsubscribe_url = self._personal(self.unsubscribe_url(UNSUBSCRIBE_PLACEHOLDER), "", unsubscribe)
        mailto = f"mailto:{_unsubscribe_mailbox()}?subject={quote(f'unsubscribe {unsubscribe}')}"
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"CivicLink newsletter <newsletter.{_list_domain()}>",
            "Auto-Submitted": "auto-generated",
        }
        if delivery_id is not None:
            headers[DELIVERY_HEADER] = delivery_reference(delivery_id)
        return self._message(
            self.issue.subject,
            subscriber.email,
            manage_token(subscriber),
            unsubscribe,
            headers=headers,
        )

    def test_message(self, to: str) -> EmailMultiAlternatives:
        """The issue to a member of staff, marked as a test; its personal links lead to the "not valid" page."""
        with translation.override(self.issue.language):
            subject = _("[TEST] %(subject)s") % {"subject": self.issue.subject}
        return self._message(subject, to, "test", "test")

    def preview_html(self) -> str:
        return self._personal(self.html, "preview", "preview")

    def preview_text(self) -> str:
        return self._personal(self.text, "preview", "preview")


def delivery_reference(delivery_id: int) -> str:
    return _DELIVERY.sign(str(delivery_id))


def read_delivery_reference(value: str) -> int | None:
    try:
        return int(_DELIVERY.unsign(value.strip()))
    except (signing.BadSignature, ValueError):
        return None


def _unsubscribe_mailbox() -> str:
    """Where the mailto: unsubscription and bounce reports go: the sender's own address, whose mailbox
    `civiclink newsletter inbound` reads."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _list_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "civiclink.local"
