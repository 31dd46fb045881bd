"""The web archive: the sent issues of the page's language, newest first, each readable as a page without anybody's
personal links."""

import datetime

import pytest
from django.utils import timezone

from civiclink.newsletter.models import Issue

pytestmark = pytest.mark.django_db


def sent(make_issue, days_ago: int, **fields) -> Issue:
    issue = make_issue(**fields)
    Issue.objects.filter(pk=issue.pk).update(
        status="sent", queued_at=timezone.now() - datetime.timedelta(days=days_ago), sent_at=timezone.now()
    )
    return issue


def test_the_archive_lists_the_sent_issues_of_the_language_newest_first(client, make_issue, django_assert_num_queries):
    sent(make_issue, 30, subject="March news")
    sent(make_issue, 2, subject="May news")
    sent(make_issue, 10, subject="Vijesti za april", language="bs")
    make_issue(subject="Draft for June")

    with django_assert_num_queries(3):  # the issues, and the site footer's texts (in base.html) with its count
        page = client.get("/en/newsletter/archive/").content.decode()

    assert page.index("May news") < page.index("March news")
    assert "Vijesti za april" not in page and "Draft for June" not in page
    assert "Vijesti za april" in client.get("/bs/newsletter/archive/").content.decode()


def test_the_archive_is_paginated(client, make_issue, settings):
    settings.CIVICLINK_PAGE_SIZE = 2
    for number in range(5):
        sent(make_issue, number + 1, subject=f"Issue {number}")

    second = client.get("/en/newsletter/archive/?page=2").content.decode()

    assert "Issue 2" in second and "Issue 3" in second and "Issue 0" not in second
    assert "Page 2 of 3" in second


def test_an_issue_reads_as_a_page_without_personal_links(client, make_issue, make_article):
    article = make_article("en", title="Benches installed", summary="Ten new benches.")
    issue = sent(make_issue, 3, articles=[article], closing="<p>Until next time.</p>")

    response = client.get(f"/en/newsletter/archive/{issue.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>News from the programme</h1>" in page and "Ten new benches." in page and "Until next time." in page
    assert 'href="http://127.0.0.1:8000/en/news/benches-installed/"' in page
    assert "/newsletter/unsubscribe/" not in page and "/newsletter/preferences/" not in page


def test_a_draft_is_not_in_the_archive(client, make_issue):
    issue = make_issue()

    assert client.get(f"/en/newsletter/archive/{issue.pk}/").status_code == 404
