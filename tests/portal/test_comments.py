"""Comments on articles are participation's comments with the article as target, moderated the same way: signed-in
people with a verified address comment, reply, edit and delete; staff close the comments of an article; anonymous
readers get a login link and no form (no CSRF cookie); reports hide a comment until a moderator decides."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from civiclink.moderation import actions
from civiclink.moderation.guards import Refused
from civiclink.moderation.models import Visibility
from civiclink.participation import comments
from civiclink.participation.models import Comment
from civiclink.portal.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article):
    return make_article("en", title="Benches arrive in Mostar")


@pytest.fixture
def reader(make_user):
    return make_user("reader@example.org")


@pytest.fixture
def moderator(role_user):
    return role_user("moderator")


def text(response) -> str:
    return response.content.decode()


def section(response) -> str:
    html = text(response)
    start = html.index('id="comments"')
    return html[start : html.index("</section>", start)]


def test_anonymous_readers_get_a_login_link_and_no_form(client, article):
    response = client.get(article.url)
    found = section(response)
    assert "Log in to comment." in found and f'href="{reverse("account_login")}?next=' in found
    assert "<form" not in found and "csrfmiddlewaretoken" not in text(response)
    assert not response.cookies


def test_post_reply_edit_and_delete(client, article, reader, make_user):
    client.force_login(reader)
    page = section(client.get(article.url))
    assert f'action="{article.url}comments/new/"' in page and "stance" not in page  # news takes no sides
    response = client.post(f"{article.url}comments/new/", {"comment-body": "Finally some shade."})
    comment = Comment.objects.get()
    assert response.status_code == 303 and response["Location"] == f"{article.url}#comment-{comment.pk}"
    assert comment.target == article and comment.process is None and comment.author == reader

    neighbour = make_user("neighbour@example.org")
    client.force_login(neighbour)
    reply_url = f"{article.url}comments/{comment.pk}/reply/"
    assert "Finally some shade." in text(client.get(reply_url))
    assert client.post(reply_url, {"comment-body": "And a place to sit."}).status_code == 303
    assert Comment.objects.get(body="And a place to sit.").parent_id == comment.pk
    assert client.get(f"{article.url}comments/{comment.pk}/edit/").status_code == 403  # not theirs

    client.force_login(reader)
    edit_url = f"{article.url}comments/{comment.pk}/edit/"
    assert "Finally some shade." in text(client.get(edit_url))
    assert client.post(edit_url, {"comment-body": "Finally, some shade!"}).status_code == 303
    comment.refresh_from_db()
    assert comment.body == "Finally, some shade!" and comment.edited_at is not None

    delete_url = f"{article.url}comments/{comment.pk}/delete/"
    assert client.get(delete_url).status_code == 405
    assert client.post(delete_url).status_code == 303
    page = section(client.get(article.url))
    assert "This comment was deleted." in page and "And a place to sit." in page


def test_an_empty_comment_comes_back_with_an_error(client, article, reader):
    client.force_login(reader)
    response = client.post(f"{article.url}comments/new/", {"comment-body": "  "})
    assert response.status_code == 400 and "This field is required." in text(response)
    assert not Comment.objects.exists()


def test_staff_close_the_comments(client, article, reader):
    comments.post(article, reader, "Before closing.")
    ArticlePage.objects.filter(pk=article.pk).update(comments_open=False)
    article.refresh_from_db()
    client.force_login(reader)
    page = section(client.get(article.url))
    assert "Comments on this article are closed." in page and "Before closing." in page
    assert "comment-form" not in page and "/reply/" not in page and "/delete/" in page  # one may still delete
    response = client.post(f"{article.url}comments/new/", {"comment-body": "After closing."})
    assert response.status_code == 403 and "Comments on this article are closed." in text(response)
    with pytest.raises(Refused):
        comments.post(article, reader, "Directly.")
    assert Comment.objects.count() == 1


def test_unverified_and_blocked_people_cannot_comment(article, django_user_model, reader, moderator):
    unverified = django_user_model.objects.create_user(email="new@example.org", password="x" * 12)
    with pytest.raises(Refused, match=r"Verify your e-mail address to comment\."):
        comments.post(article, unverified, "Hello.")
    with pytest.raises(Refused, match=r"Log in to comment\."):
        comments.post(article, AnonymousUser(), "Hello.")
    actions.block(reader, moderator=moderator, reason="Spam.")
    reader = django_user_model.objects.get(pk=reader.pk)
    with pytest.raises(Refused, match="blocked"):
        comments.post(article, reader, "Hello.")
    assert not Comment.objects.exists()


def test_no_official_answers_on_articles(article, role_user):
    staff = role_user("staff")
    with pytest.raises(Refused):
        comments.post(article, staff, "Speaking for the town.", official=True)


def test_reports_hide_a_comment_and_moderators_decide(client, article, reader, moderator, role_user):
    comment = comments.post(article, reader, "Rude words here.")
    report_url = reverse("moderation:report", args=["participation", "comment", comment.pk])
    assert report_url in section(client.get(article.url))
    for number in range(3):
        response = client.post(report_url, {"reason": "offensive"}, REMOTE_ADDR=f"203.0.113.{number + 1}")
        assert response.status_code == 303 and response["Location"] == article.url
    comment.refresh_from_db()
    assert comment.visibility == Visibility.PENDING
    page = section(client.get(article.url))
    assert "This comment is hidden while the moderators review it." in page and "Rude words" not in page

    officer = role_user("officer")  # officers moderate their municipality's processes, not the news
    client.force_login(officer)
    assert "Rude words here." not in text(client.get(reverse("moderation:queue")))

    client.force_login(moderator)
    assert "Rude words here." in text(client.get(reverse("moderation:queue")))
    item_url = reverse("moderation:item", args=["participation", "comment", comment.pk])
    item = text(client.get(item_url))
    assert f'href="{article.url}"' in item
    client.post(item_url, {"action": "hide", "hide-reason": "Insults."})
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HIDDEN
    client.post(item_url, {"action": "restore", "restore-reason": "Apologised."})
    comment.refresh_from_db()
    assert comment.visibility == Visibility.VISIBLE
    client.logout()
    assert "Rude words here." in section(client.get(article.url))


def test_comments_of_one_article_stay_with_it(client, article, make_article, reader):
    other = make_article("en", title="Other news")
    comment = comments.post(other, reader, "Elsewhere.")
    client.force_login(reader)
    assert client.get(f"{article.url}comments/{comment.pk}/reply/").status_code == 404
    assert client.get(f"{article.url}comments/{comment.pk}/frobnicate/").status_code == 404
    assert Comment.objects.get().content_type == ContentType.objects.get_for_model(ArticlePage)
