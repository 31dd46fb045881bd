"""The ELoGE part of the open-data API under /api/v1/governance/: benchmarks in the language asked for, campaigns,
and results only where the municipality published them."""

import pytest

from civiclink.governance.models import Campaign, Indicator, Principle

from .test_scoring import answer, assess_all

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_the_governance_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()

    paths = {
        "/api/v1/governance/benchmarks",
        "/api/v1/governance/benchmarks/{key}",
        "/api/v1/governance/campaigns",
        "/api/v1/governance/campaigns/{id}/results",
    }
    assert paths <= set(document["paths"])
    for path in paths:
        assert document["paths"][path]["get"]["tags"] == ["governance"]
    parameters = {p["name"] for p in document["paths"]["/api/v1/governance/benchmarks/{key}"]["get"]["parameters"]}
    assert {"key", "lang"} <= parameters


def test_benchmarks(client, small_benchmark):
    response = client.get("/api/v1/governance/benchmarks?lang=en")

    assert response.status_code == 200
    assert response.json() == [
        {
            "key": "test-2023",
            "edition": 2023,
            "title": "Test benchmark",
            "description": "",
            "based_on": None,
            "platform": None,
        }
    ]


def test_one_benchmark_in_the_language_asked_for(client, small_benchmark):
    Indicator.objects.filter(code="1.2").update(retired=True)

    english = client.get("/api/v1/governance/benchmarks/test-2023?lang=en").json()
    bosnian = client.get("/api/v1/governance/benchmarks/test-2023?lang=bs").json()
    by_header = client.get("/api/v1/governance/benchmarks/test-2023", headers={"accept-language": "bs"}).json()
    default = client.get("/api/v1/governance/benchmarks/test-2023").json()

    assert english["language"] == "en" and english["title"] == "Test benchmark"
    assert bosnian["language"] == "bs" and bosnian["title"] == "Testni benchmark"
    assert english["principles"][0]["name"] == "Principle 1"
    assert bosnian["principles"][0]["name"] == "Princip 1"
    assert by_header["principles"][0]["name"] == "Princip 1"
    assert default["language"] == "bs" and default["principles"][0]["name"] == "Princip 1"
    assert english["maturity"] == {
        "min": 0,
        "max": 4,
        "levels": ["Not in place", "Initial", "Developing", "Established", "Advanced"],
    }
    first = english["principles"][0]
    assert [indicator["code"] for indicator in first["indicators"]] == ["1.1"]  # 1.2 is retired
    assert first["indicators"][0] == {
        "code": "1.1",
        "outcome": None,
        "statement": "Indicator 1.1 holds.",
        "guidance": "Attach the decision.",
        "levels": ["Level 0", "Level 1", "Level 2", "Level 3", "Level 4"],
    }
    assert [q["audience"] for q in english["questionnaires"]] == ["citizens", "councillors", "staff"]
    assert english["questionnaires"][0]["items"][0] == {
        "code": "CIT-01",
        "principle": 1,
        "text": "citizens statement about principle 1.",
    }
    assert len(english["questionnaires"][0]["items"]) == 12


def test_serbian_latin_is_transliterated_from_cyrillic_lists_included(client, small_benchmark):
    indicator = Indicator.objects.get(code="1.1")
    indicator.translations = {
        "sr": {"statement": "Показатељ важи.", "levels": ["Нема", "Почетно", "Развој", "Да", "Жељезо"]}
    }
    indicator.save()
    Principle.objects.filter(number=1).update(translations={"sr": {"name": "Поштење"}})

    data = client.get("/api/v1/governance/benchmarks/test-2023?lang=sr-latn").json()

    first = data["principles"][0]
    assert first["name"] == "Poštenje"
    assert first["indicators"][0]["statement"] == "Pokazatelj važi."
    assert first["indicators"][0]["levels"] == ["Nema", "Početno", "Razvoj", "Da", "Željezo"]


def test_an_unknown_benchmark_or_language(client, small_benchmark):
    assert client.get("/api/v1/governance/benchmarks/nope").status_code == 404
    assert client.get("/api/v1/governance/benchmarks/test-2023?lang=de").status_code == 422


def test_campaigns(client, eloge):
    Campaign.objects.filter(pk=eloge.campaign.pk).update(results_public=True)

    response = client.get("/api/v1/governance/campaigns")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": eloge.campaign.pk,
            "municipality": "mostar",
            "cycle": "ELoGE 2024",
            "year": 2024,
            "phase": "assessment",
            "decision": "pending",
            "results_public": True,
        }
    ]
    assert client.get("/api/v1/governance/campaigns?municipality=trebinje").json() == []
    assert len(client.get("/api/v1/governance/campaigns?year=2024").json()) == 1


def test_results_only_when_published(client, eloge):
    campaign = eloge.campaign
    assess_all(campaign, (3, 2))  # 62.5
    answer(campaign, "citizens", dict.fromkeys(range(1, 13), 5), times=2)  # 100
    url = f"/api/v1/governance/campaigns/{campaign.pk}/results?lang=en"

    client.force_login(eloge.officer)  # even the team: the API serves published results only
    assert client.get(url).status_code == 404

    Campaign.objects.filter(pk=campaign.pk).update(results_public=True)
    response = client.get(url)

    assert response.status_code == 200
    data = response.json()
    assert (data["campaign"], data["municipality"], data["benchmark"]) == (campaign.pk, "mostar", "test-2023")
    # (62.5 * 40 + 100 * 30) / 70 = 78.571... -> 78.6, in every principle and overall
    assert data["overall"] == 78.6
    assert data["responses"] == {"councillors": 0, "staff": 0, "citizens": 2}
    first = data["principles"][0]
    assert first == {
        "number": 1,
        "name": "Principle 1",
        "sources": {
            "self": {"score": 62.5, "count": 2},
            "councillors": {"score": None, "count": 0},
            "staff": {"score": None, "count": 0},
            "citizens": {"score": 100.0, "count": 2},
        },
        "combined": 78.6,
        "gaps": {"citizens": -37.5, "councillors": None, "staff": None},
    }
    assert {rule["rule"]: rule["met"] for rule in data["rules"]} == {
        "The self-assessment is submitted.": False,
        "Every principle has a score.": True,
        "Every principle scores at least 50.": True,
        "The overall score is at least 60.": True,
        "At least 100 citizens answered (2 did).": False,
    }
    assert data["eligible"] is False


def test_results_of_an_unknown_campaign_are_404(client, db):
    assert client.get("/api/v1/governance/campaigns/424242/results").status_code == 404
