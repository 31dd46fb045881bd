"""A person's participation in their data export, and what deleting the account leaves behind."""

import pytest

from civiclink.accounts.gdpr import delete_account, export_user_data
from civiclink.participation.models import Comment, Follow, Proposal, Residency, Support

pytestmark = pytest.mark.django_db


def test_export_and_deletion(make_process, people):
    process = make_process()
    proposal = Proposal.objects.create(process=process, title="Benches", body="More benches.", author=people.resident)
    Comment.objects.create(target=proposal, process=process, author=people.resident, body="Near the school.")
    Support.objects.create(proposal=proposal, user=people.resident)
    Follow.objects.create(user=people.resident, target=proposal)

    data = export_user_data(people.resident)["participation"]
    assert [p["title"] for p in data["proposals"]] == ["Benches"]
    assert [c["body"] for c in data["comments"]] == ["Near the school."]
    assert data["supports"] == [proposal.pk]
    assert data["follows"] == [{"type": "proposal", "id": proposal.pk}]
    assert data["residencies"][0]["municipality"] == "Mostar"

    delete_account(people.resident)
    proposal.refresh_from_db()
    assert proposal.author is None and proposal.title == "Benches"
    assert Comment.objects.get().author is None
    assert not Follow.objects.exists() and not Residency.objects.filter(user=people.resident).exists()
    assert Support.objects.count() == 1
