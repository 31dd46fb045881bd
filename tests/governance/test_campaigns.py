"""The public pages of the benchmark, a campaign's dashboard, its phases and its team."""

import pytest

from civiclink.governance import campaigns
from civiclink.governance.models import Decision, Phase, TeamMember

pytestmark = pytest.mark.django_db


def test_index_lists_cycles_and_campaigns(client, eloge, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/en/governance/")
    assert response.status_code == 200
    assert "ELoGE 2024" in response.text and "Mostar" in response.text


def test_benchmark_page_shows_the_catalogue_without_n_plus_one(client, eloge, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(f"/bs/governance/benchmarks/{eloge.benchmark.key}/")
    assert response.status_code == 200
    assert "Princip 7" in response.text  # the Bosnian name
    assert "Indicator 7.2 holds." in response.text


def test_campaign_page_shows_workspace_only_to_those_involved(client, eloge):
    url = eloge.campaign.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert "Workspace" not in response.text
    assert "citizens&#x27; questionnaire" in response.text or "citizens' questionnaire" in response.text
    for user in (eloge.officer, eloge.mentor, eloge.evaluator, eloge.platform_staff, eloge.staff):
        client.force_login(user)
        assert "Workspace" in client.get(url).text, user
    client.force_login(eloge.outsider)
    assert "Workspace" not in client.get(url).text


def test_phase_machine_requires_what_each_phase_produces(eloge):
    campaign = eloge.campaign
    with pytest.raises(campaigns.PhaseError, match="not been submitted"):
        campaigns.advance(campaign)
    campaign.self_assessment_submitted_at = "2024-05-01T10:00:00Z"
    campaign.save()
    assert campaigns.advance(campaign).phase == Phase.EVALUATION
    assert campaigns.advance(campaign).phase == Phase.DECISION
    with pytest.raises(campaigns.PhaseError, match="not decided"):
        campaigns.advance(campaign)
    campaign.decision = Decision.RECOGNITION
    campaign.save()
    assert campaigns.advance(campaign).phase == Phase.ACTION_PLAN
    assert campaigns.advance(campaign).phase == Phase.MONITORING
    with pytest.raises(campaigns.PhaseError):
        campaigns.advance(campaign)


def test_a_stale_phase_change_is_refused(eloge):
    stale = type(eloge.campaign).objects.get(pk=eloge.campaign.pk)
    eloge.campaign.self_assessment_submitted_at = stale.self_assessment_submitted_at = "2024-05-01T10:00:00Z"
    eloge.campaign.save()
    campaigns.advance(eloge.campaign)
    with pytest.raises(campaigns.PhaseError, match="Someone else"):
        campaigns.advance(stale)


def test_only_overseers_move_the_phase(client, eloge):
    url = f"/en/governance/campaigns/{eloge.campaign.pk}/advance/"
    client.force_login(eloge.officer)
    assert client.post(url).status_code == 403
    client.force_login(eloge.platform_staff)
    response = client.post(url, follow=True)
    assert "not been submitted" in response.text
    eloge.campaign.refresh_from_db()
    assert eloge.campaign.phase == Phase.ASSESSMENT


def test_registration_names_the_coordinator(eloge, world, make_user):
    coordinator = make_user()
    campaign = campaigns.register(eloge.cycle, world.away, coordinator)
    assert campaign.phase == Phase.REGISTRATION
    assert campaign.team_members.get().role == TeamMember.Role.COORDINATOR
    assert campaigns.register(eloge.cycle, world.away, coordinator) == campaign


def test_team_is_managed_by_its_officers(client, eloge, make_user):
    url = f"/en/governance/campaigns/{eloge.campaign.pk}/team/"
    newcomer = make_user("newcomer@example.org")
    client.force_login(eloge.mentor)
    assert client.get(url).status_code == 403
    client.force_login(eloge.officer)
    response = client.post(url, {"email": "nobody@example.org", "role": "officer"})
    assert "Ask them to register first" in response.text
    client.post(url, {"email": "NEWCOMER@example.org", "role": "officer"})
    member = eloge.campaign.team_members.get(user=newcomer)
    assert member.role == "officer"
    client.post(url, {"remove": member.pk})
    assert not eloge.campaign.team_members.filter(user=newcomer).exists()


def test_an_officer_registers_the_municipality_and_coordinates_the_team(client, eloge, world, make_user):
    from civiclink.places.models import MunicipalRole

    officer = make_user("trebinje-officer@example.org")
    MunicipalRole.objects.create(user=officer, municipality=world.away, role="officer")
    url = f"/en/governance/cycles/{eloge.cycle.pk}/register/"
    client.force_login(eloge.outsider)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert "Register a municipality" in client.get("/en/governance/").text
    response = client.get(url)
    assert f'value="{world.away.pk}"' in response.text
    assert f'value="{world.home.pk}"' not in response.text  # Mostar takes part already
    response = client.post(url, {"municipality": world.away.pk})
    campaign = eloge.cycle.campaigns.get(municipality=world.away)
    assert response.status_code == 302 and campaign.phase == Phase.REGISTRATION
    assert campaign.team_members.get().user == officer
    assert client.post(url, {"municipality": world.away.pk}).status_code == 403  # nothing left to register


def test_only_a_trainer_mentors(client, eloge, make_user):
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role

    trainer, someone = make_user("trainer@example.org"), make_user("someone@example.org")
    grant_platform_role(trainer, Role.TRAINER)
    client.force_login(eloge.officer)
    url = f"/en/governance/campaigns/{eloge.campaign.pk}/team/"
    assert "certified ELoGE trainer" in client.post(url, {"email": someone.email, "role": "mentor"}).text
    client.post(url, {"email": trainer.email, "role": "mentor"})
    assert eloge.campaign.team_members.get(user=trainer).role == "mentor"
