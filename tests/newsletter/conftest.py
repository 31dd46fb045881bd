"""Newsletter fixtures: subscribers in any state, issues, and the news site of tests/portal (articles in Bosnian,
English and Croatian). Messages in English, like the other apps' tests."""

import pytest
from django.utils import timezone, translation

from portal.conftest import make_article, news  # noqa: F401 (fixtures shared with the news tests)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...`: run what was left for after the commit (e-mails, batch tasks) at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def make_subscriber(db):
    """`make_subscriber("ana@example.org", language="en", status="confirmed", municipalities=[...], themes=[...])`."""
    from civiclink.newsletter.models import Subscriber, SubscriberTheme

    counter = iter(range(1, 1_000_000))

    def make(email=None, *, language="en", status="confirmed", municipalities=(), themes=(), **fields):
        email = email or f"reader{next(counter)}@example.org"
        if status == "confirmed":
            fields.setdefault("confirmed_at", timezone.now())
        if status == "pending":
            fields.setdefault("nonce", "0" * 32)
        subscriber = Subscriber.objects.create(email=email, language=language, status=status, **fields)
        subscriber.municipalities.set(municipalities)
        SubscriberTheme.objects.bulk_create(SubscriberTheme(subscriber=subscriber, theme=theme) for theme in themes)
        return subscriber

    return make


@pytest.fixture
def make_issue(db):
    """`make_issue(language="en", articles=[...], municipalities=[...], themes=[...], **fields)`: a draft."""
    from civiclink.newsletter.models import Issue, IssueArticle

    def make(language="en", *, articles=(), municipalities=(), **fields):
        fields.setdefault("subject", "News from the programme")
        fields.setdefault("intro", '<p>Dear readers, <a href="/en/news/">all the news</a>.</p>')
        issue = Issue.objects.create(language=language, **fields)
        issue.municipalities.set(municipalities)
        IssueArticle.objects.bulk_create(
            IssueArticle(issue=issue, article=article, sort_order=position) for position, article in enumerate(articles)
        )
        return issue

    return make


@pytest.fixture
def staff(make_user):
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role

    user = make_user("editor@example.org")
    grant_platform_role(user, Role.STAFF)
    return user
