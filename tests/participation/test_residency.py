"""Verified residents: an officer verifies a person they checked, or a household enters a one-time code from
paper; a code serves once, even entered twice at the same moment; a resident then may do what phases open to
residents. Officers act for their own municipality only."""

import hashlib
import re

import pytest
from django.urls import reverse

from civiclink.participation import access, residency
from civiclink.participation.models import Residency, ResidentCode
from civiclink.participation.residency import ResidencyError
from support import at_once

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$")


def page_url(name, municipality) -> str:
    return reverse(f"participation:{name}", args=[municipality.slug])


def text(response) -> str:
    return response.content.decode()


# --- Verification by an officer ---------------------------------------------------------------------------------


def test_an_officer_verifies_a_resident_who_then_may_act_for_residents(people, world, make_process, fresh):
    process = make_process(capabilities={"supports.support": "resident"})
    assert not access.check(people.citizen, fresh(process), "supports", "support").allowed

    verified = residency.verify_by_officer(" Citizen@Example.org ", world.home, people.officer)

    assert (verified.user, verified.method, verified.verified_by) == (people.citizen, "officer", people.officer)
    people.citizen.__dict__.pop("_participation_facts", None)  # a new request reads the facts anew
    assert access.check(people.citizen, fresh(process), "supports", "support").allowed
    assert residency.verify_by_officer("citizen@example.org", world.home, people.officer) == verified  # idempotent


def test_an_officer_verifies_only_for_their_own_municipality(people, world):
    with pytest.raises(ResidencyError, match=re.escape("Only officers of Trebinje can verify its residents.")):
        residency.verify_by_officer("citizen@example.org", world.away, people.officer)
    with pytest.raises(ResidencyError, match="Only officers of Mostar"):
        residency.verify_by_officer("citizen@example.org", world.home, people.citizen)
    assert not Residency.objects.filter(user=people.citizen).exists()


def test_an_unknown_address_is_refused_with_what_to_do(people, world):
    with pytest.raises(
        ResidencyError, match=re.escape("Nobody with this address has an account yet. Ask them to sign up first.")
    ):
        residency.verify_by_officer("nobody@example.org", world.home, people.officer)


def test_the_residents_page_verifies_lists_and_withdraws(client, people, world):
    client.force_login(people.officer)
    response = client.post(page_url("residents", world.home), {"email": "citizen@example.org"})
    assert response.status_code == 303
    page = client.get(page_url("residents", world.home))
    assert "2 people are verified residents." in text(page)  # the fixture's resident and the citizen
    assert "citizen@example.org" in text(page)

    refused = client.post(page_url("residents", world.home), {"email": "nobody@example.org"})
    assert "Nobody with this address has an account yet." in text(refused)
    assert 'value="nobody@example.org"' in text(refused)

    withdrawn = Residency.objects.get(user=people.citizen)
    assert client.post(page_url("residents", world.home), {"revoke": str(withdrawn.pk)}).status_code == 303
    assert not Residency.objects.filter(user=people.citizen).exists()


def test_revoking_touches_only_the_officers_municipality(client, people, world):
    elsewhere = Residency.objects.create(user=people.citizen, municipality=world.away, method="code")
    client.force_login(people.officer)
    client.post(page_url("residents", world.home), {"revoke": str(elsewhere.pk)})
    client.post(page_url("residents", world.home), {"revoke": "not-a-number"})
    assert Residency.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize("page", ["residents", "resident_codes"])
def test_the_officer_pages_follow_the_rule_per_municipality(client, people, world, page):
    assert client.get(page_url(page, world.home)).status_code == 302  # log in first
    client.force_login(people.citizen)
    assert client.get(page_url(page, world.home)).status_code == 403
    client.force_login(people.officer)
    assert client.get(page_url(page, world.home)).status_code == 200
    assert client.get(page_url(page, world.away)).status_code == 403
    client.force_login(people.staff)
    assert client.get(page_url(page, world.away)).status_code == 200


def test_the_residents_list_costs_the_same_queries_for_any_number_of_residents(
    client, people, world, make_user, django_assert_num_queries
):
    client.force_login(people.officer)
    client.get(page_url("residents", world.home))  # the site's settings are created on the first page
    for count in (0, 12):
        for n in range(count):
            residency.verify_by_officer(make_user(f"r{n}@example.org").email, world.home, people.officer)
        # session, user, platform roles, municipal roles, municipality, count, page of residents, footer
        with django_assert_num_queries(8):
            assert client.get(page_url("residents", world.home)).status_code == 200


# --- Codes on paper -------------------------------------------------------------------------------------------


def test_codes_are_readable_and_only_their_hashes_kept(world):
    codes = residency.issue_codes(world.home, 5, "Centar")
    assert len(set(codes)) == 5 and all(CODE.match(code) for code in codes)
    stored = set(ResidentCode.objects.values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    assert set(ResidentCode.objects.values_list("batch", flat=True)) == {"Centar"}
    with pytest.raises(ResidencyError, match="between 1 and"):
        residency.issue_codes(world.home, 0)


def test_a_code_makes_a_resident_once(people, world):
    (code,) = residency.issue_codes(world.home, 1)
    made = residency.redeem(people.citizen, f"  {code.lower().replace('-', ' ')} ")  # as typed from paper
    assert (made.user, made.municipality, made.method) == (people.citizen, world.home, "code")
    with pytest.raises(ResidencyError, match=re.escape("This code has already been used. Each code serves only once.")):
        residency.redeem(people.org_member, code)
    assert not Residency.objects.filter(user=people.org_member).exists()


def test_unknown_codes_and_codes_of_another_municipality_are_refused(people, world):
    (code,) = residency.issue_codes(world.away, 1)
    with pytest.raises(
        ResidencyError, match=re.escape("This code is not valid. Check it against the paper and try again.")
    ):
        residency.redeem(people.citizen, "ABCD-EFGH")
    with pytest.raises(ResidencyError, match="not valid"):
        residency.redeem(people.citizen, code, world.home)
    assert ResidentCode.objects.get().used_at is None


def test_a_resident_does_not_use_up_a_second_code(people, world):
    (code,) = residency.issue_codes(world.home, 1)
    with pytest.raises(ResidencyError, match=re.escape("You are already a verified resident of Mostar.")):
        residency.redeem(people.resident, code)
    assert ResidentCode.objects.get().used_at is None


def test_a_code_stays_used_when_its_user_deletes_their_account(people, world, make_user):
    (code,) = residency.issue_codes(world.home, 1)
    leaving = make_user("leaving@example.org")
    residency.redeem(leaving, code)
    leaving.delete()
    with pytest.raises(ResidencyError, match="already been used"):
        residency.redeem(people.citizen, code)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_code_entered_at_the_same_moment_by_four_people_makes_one_resident(world, make_user):
    """All four find the unused code before any has committed; the conditional UPDATE lets one through."""
    (code,) = residency.issue_codes(world.home, 1)
    users = [make_user(f"household{n}@example.org") for n in range(4)]

    def enter(barrier, user):
        barrier.wait()
        residency.redeem(user, code)
        return "resident"

    outcomes = at_once(enter, [(user,) for user in users], {ResidencyError: "refused"})
    assert outcomes == ["refused"] * 3 + ["resident"]
    assert Residency.objects.count() == 1
    assert ResidentCode.objects.get().used_by == Residency.objects.get().user


# --- The pages ----------------------------------------------------------------------------------------------------


def test_a_citizen_enters_a_code_and_is_told(client, people, world):
    (code,) = residency.issue_codes(world.home, 1)
    assert client.get(page_url("residency", world.home)).status_code == 302  # log in first
    client.force_login(people.citizen)
    page = client.get(page_url("residency", world.home))
    assert "supporting proposals, voting in a poll" in text(page)
    assert 'name="code"' in text(page)

    wrong = client.post(page_url("residency", world.home), {"code": "ABCD-EFGH"})
    assert wrong.status_code == 200 and "This code is not valid." in text(wrong)
    assert 'value="ABCD-EFGH"' in text(wrong)

    process_page = "/en/participation/some-process/"
    done = client.post(page_url("residency", world.home), {"code": code, "next": process_page})
    assert (done.status_code, done["Location"]) == (303, process_page)
    assert Residency.objects.filter(user=people.citizen, municipality=world.home).exists()
    assert "You are a verified resident of Mostar." in text(client.get(page_url("residency", world.home)))


def test_the_page_never_sends_a_citizen_to_another_site(client, people, world):
    (code,) = residency.issue_codes(world.home, 1)
    client.force_login(people.citizen)
    done = client.post(page_url("residency", world.home), {"code": code, "next": "https://evil.example/"})
    assert done["Location"] == page_url("residency", world.home)


def test_guessing_codes_is_limited(client, people, world):
    client.force_login(people.citizen)
    for _attempt in range(10):
        client.post(page_url("residency", world.home), {"code": "ABCD-EFGH"})
    (code,) = residency.issue_codes(world.home, 1)
    blocked = client.post(page_url("residency", world.home), {"code": code})
    assert "Too many attempts. Wait an hour, then try again." in text(blocked)
    assert not Residency.objects.filter(user=people.citizen).exists()


def test_an_officer_prints_a_batch_of_codes_shown_once(client, people, world):
    client.force_login(people.officer)
    page = client.post(page_url("resident_codes", world.home), {"count": "3", "batch": "Centar"})
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    shown = re.findall(r'class="resident-code-value">([^<]+)<', text(page))
    assert len(shown) == 3 and all(CODE.match(code) for code in shown)
    assert ResidentCode.objects.filter(municipality=world.home, batch="Centar").count() == 3
    assert "Codes issued</dt><dd>3</dd>" in text(client.get(page_url("resident_codes", world.home)))

    too_many = client.post(page_url("resident_codes", world.home), {"count": "100000"})
    assert too_many.status_code == 200 and "Ensure this value is less than or equal to" in text(too_many)
