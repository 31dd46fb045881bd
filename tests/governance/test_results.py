"""The results page of a campaign, its publication, the printable report, the comparison within a cycle and the
trend of one municipality across cycles."""

import datetime
import re

import pytest
from django.utils import translation

from civiclink.governance import charts, comparison, reports, scoring
from civiclink.governance.models import Benchmark, Campaign, Cycle, Item, Phase, Principle, Questionnaire

from .test_scoring import answer, assess_all, fresh, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(eloge):
    """Mostar's campaign with every source: self 62.5 everywhere (levels 3 and 2), councillors 4 (75), staff 3
    (50), citizens 2 (25) except principle 1 where citizens say 5 (100); submitted."""
    campaign = eloge.campaign
    assess_all(campaign, (3, 2))
    answer(campaign, "councillors", dict.fromkeys(range(1, 13), 4), times=2)
    answer(campaign, "staff", dict.fromkeys(range(1, 13), 3))
    answer(campaign, "citizens", {1: 5} | dict.fromkeys(range(2, 13), 2), times=3)
    submit(campaign)
    return eloge


def results_url(campaign) -> str:
    return f"/en/governance/campaigns/{campaign.pk}/results/"


def login(client, user):
    if user is not None:
        client.force_login(user)


# --- Results page ------------------------------------------------------------------------------------------------


def test_the_results_page_shows_chart_table_extremes_rules_and_counts(client, scored):
    client.force_login(scored.officer)

    response = client.get(results_url(scored.campaign))

    assert response.status_code == 200
    page = response.content.decode()
    svg = re.search(r"<svg [^>]*>", page).group(0)
    assert 'role="img"' in svg and "aria-labelledby=" in svg
    title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', svg).groups()
    assert f'<title id="{title_id}">' in page and f'<desc id="{desc_id}">' in page
    # one series per source and the combined score, each with its own dash pattern and marker
    for key in ("self", "councillors", "staff", "citizens", "combined"):
        assert f'class="series series-{key}"' in page
    assert len(set(re.findall(r'stroke-dasharray="([^"]+)"', page))) >= 3
    # the table: principle 1 combined = (62.5*40 + 75*20 + 50*10 + 100*30) / 100 = 75.0; gap self-citizens -37.5
    table = page[page.index("<table") : page.index("</table>")]
    assert "1. Principle 1" in table
    row = table[table.index("1. Principle 1") : table.index("2. Principle 2")]
    assert [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] == [
        "62.5 (2)", "75.0 (2)", "50.0 (1)", "100.0 (3)", "75.0", "-37.5", "-12.5",
    ]  # fmt: skip
    # principles 2-12: (62.5*40 + 75*20 + 50*10 + 25*30) / 100 = 52.5; overall = (75 + 11 * 52.5) / 12 = 54.375
    assert "54.4" in page
    strongest = page[page.index('id="strongest-heading"') : page.index('id="weakest-heading"')]
    assert "1. Principle 1" in strongest
    rules = page[page.index('id="rules-heading"') : page.index('id="downloads-heading"')]
    assert "Met:" in rules and "Not met:" in rules  # stated in words, not by colour alone
    assert "At least 100 citizens answered (3 did)." in rules
    assert "✗" in rules and "✓" in rules
    assert 'style="' not in page and "<script>" not in page  # the strict CSP
    assert "css/governance-results.css" in page


def test_the_results_page_links_to_exports_by_permission(client, scored):
    campaign = scored.campaign
    client.force_login(scored.officer)
    page = client.get(results_url(campaign)).content.decode()
    assert f"/en/governance/campaigns/{campaign.pk}/results.csv" in page
    assert f"/en/governance/campaigns/{campaign.pk}/results.xlsx" in page
    assert f"/en/governance/campaigns/{campaign.pk}/responses.csv" in page
    assert f"/en/governance/campaigns/{campaign.pk}/report.pdf" in page
    assert "Publish the results" in page

    client.force_login(scored.mentor)  # sees results, may not export responses or publish
    page = client.get(results_url(campaign)).content.decode()
    assert "results.csv" in page
    assert "responses.csv" not in page
    assert "Publish the results" not in page


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("officer", True),
        ("mentor", True),
        ("evaluator", True),
        ("platform_staff", True),
        ("staff", True),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_unpublished_results_are_for_the_team_committee_and_overseers(client, scored, who, allowed):
    login(client, getattr(scored, who, None))

    response = client.get(results_url(scored.campaign))

    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in {302, 403}
        assert b"Principle 1" not in response.content


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_published_results_are_for_everyone(client, scored, who):
    Campaign.objects.filter(pk=scored.campaign.pk).update(results_public=True)
    login(client, getattr(scored, who, None))

    response = client.get(results_url(scored.campaign))

    assert response.status_code == 200
    page = response.content.decode()
    assert "1. Principle 1" in page
    assert "responses.csv" not in page and "Publish the results" not in page


def test_the_results_page_uses_few_queries_and_the_cache(client, scored, django_assert_max_num_queries):
    client.force_login(scored.officer)
    scoring.forget(scored.campaign.pk)
    # session, user, campaign, team roles, four for the scores, footer; and, the first time in a few minutes, the
    # user's municipal roles for the navigation's link to the benches
    with django_assert_max_num_queries(11):
        assert client.get(results_url(scored.campaign)).status_code == 200
    with django_assert_max_num_queries(6):  # the scores come from the cache
        assert client.get(results_url(scored.campaign)).status_code == 200


def test_new_answers_show_once_the_cache_is_forgotten(client, scored):
    client.force_login(scored.officer)
    assert "(3 did)" in client.get(results_url(scored.campaign)).content.decode()

    answer(scored.campaign, "citizens", {1: 5})  # the helper forgets, as the survey does

    assert "(4 did)" in client.get(results_url(scored.campaign)).content.decode()


def test_a_missing_campaign_is_404(client, scored):
    client.force_login(scored.staff)
    assert client.get("/en/governance/campaigns/999999/results/").status_code == 404


# --- Publication -------------------------------------------------------------------------------------------------


def test_an_officer_publishes_and_withdraws_the_results(client, scored):
    client.force_login(scored.officer)
    url = f"/en/governance/campaigns/{scored.campaign.pk}/results/publish/"

    response = client.post(url, {"public": "1"})

    assert response.status_code == 302 and response["Location"] == results_url(scored.campaign)
    assert Campaign.objects.get(pk=scored.campaign.pk).results_public
    assert "Withdraw the publication" in client.get(results_url(scored.campaign)).content.decode()

    client.post(url, {"public": "0"})
    assert not Campaign.objects.get(pk=scored.campaign.pk).results_public


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("platform_staff", True), ("staff", True), ("mentor", False), ("evaluator", False), ("outsider", False)],
)
def test_who_may_publish(client, scored, who, allowed):
    client.force_login(getattr(scored, who))

    response = client.post(f"/en/governance/campaigns/{scored.campaign.pk}/results/publish/", {"public": "1"})

    assert response.status_code == (302 if allowed else 403)
    assert Campaign.objects.get(pk=scored.campaign.pk).results_public is allowed


def test_publishing_needs_a_post(client, scored):
    client.force_login(scored.officer)
    assert client.get(f"/en/governance/campaigns/{scored.campaign.pk}/results/publish/").status_code == 405


# --- Printable report --------------------------------------------------------------------------------------------


def test_the_report_is_an_a4_pdf(client, scored):
    client.force_login(scored.evaluator)

    response = client.get(f"/en/governance/campaigns/{scored.campaign.pk}/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content  # A4 in points


def test_the_reports_text(scored):
    with translation.override("en"):
        results = scoring.results_for(fresh(scored.campaign))
        blocks = reports.report_content(results, datetime.date(2024, 6, 3))

    texts = [text for _kind, text in blocks]
    assert texts[0] == "ELoGE results: Mostar"
    assert "Cycle: ELoGE 2024 (2024), benchmark: Test benchmark" in texts
    assert "Report of June 3, 2024" in texts
    assert "Overall score: 54.4 of 100" in texts
    assert "Responses: 3 citizens, 2 councillors, 1 municipal staff" in texts
    strongest = texts[texts.index("Strongest principles") + 1 : texts.index("Weakest principles")]
    assert strongest == ["1. Principle 1: 75.0", "2. Principle 2: 52.5", "3. Principle 3: 52.5"]
    assert "Met: The self-assessment is submitted." in texts
    assert "Not met: At least 100 citizens answered (3 did)." in texts
    assert reports.table_rows(results)[1] == [
        "1. Principle 1", "62.5 (2)", "75.0 (2)", "50.0 (1)", "100.0 (3)", "75.0", "-37.5", "-12.5",
    ]  # fmt: skip


def test_the_report_is_written_in_the_visitors_language(client, scored):
    """Bosnian principle names in a Cyrillic-capable font: the PDF builds with č, ć, đ, š, ž and Cyrillic."""
    Principle.objects.filter(benchmark=scored.benchmark, number=1).update(
        translations={"bs": {"name": "Pošteno vođenje izbora"}, "sr": {"name": "Поштено вођење избора"}}
    )
    scoring.forget(scored.campaign.pk)
    client.force_login(scored.officer)
    for language in ("bs", "sr"):
        response = client.get(f"/{language}/governance/campaigns/{scored.campaign.pk}/report.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with translation.override("sr"):
        blocks = reports.report_content(scoring.results_for(fresh(scored.campaign)), datetime.date(2024, 6, 3))
    assert any("Поштено вођење избора" in text for _kind, text in blocks)


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("mentor", 200)])
def test_the_report_follows_the_results_permission(client, scored, who, status):
    client.force_login(getattr(scored, who))
    assert client.get(f"/en/governance/campaigns/{scored.campaign.pk}/report.pdf").status_code == status


# --- Comparison within a cycle -----------------------------------------------------------------------------------


@pytest.fixture
def two_in_a_cycle(scored, world):
    """Trebinje takes part in the same cycle and has published: citizens answer 4 (75) everywhere, self 100."""
    other = Campaign.objects.create(cycle=scored.cycle, municipality=world.away, phase=Phase.MONITORING)
    assess_all(other, (4, 4))
    answer(other, "citizens", dict.fromkeys(range(1, 13), 4), times=2)
    Campaign.objects.filter(pk=other.pk).update(results_public=True)
    scored.other = other
    return scored


def test_cycle_scores_agree_with_the_scoring_of_each_campaign(two_in_a_cycle):
    Campaign.objects.filter(pk=two_in_a_cycle.campaign.pk).update(results_public=True)

    rows = comparison.cycle_scores(two_in_a_cycle.cycle)

    assert [row.campaign.municipality.name for row in rows] == ["Mostar", "Trebinje"]
    for row in rows:
        results = scoring.compute(fresh(row.campaign))
        assert row.principles == {result.number: pytest.approx(result.combined) for result in results.principles}
        assert row.overall == pytest.approx(results.overall)
    # Trebinje: (100 * 40 + 75 * 30) / 70 = 89.2857...
    assert rows[1].principles[1] == pytest.approx(6250 / 70)


def test_cycle_scores_use_one_query_per_kind(two_in_a_cycle, make_municipality, django_assert_num_queries):
    for name in ("Bihać", "Zenica", "Tuzla"):
        campaign = Campaign.objects.create(cycle=two_in_a_cycle.cycle, municipality=make_municipality(name))
        answer(campaign, "citizens", dict.fromkeys(range(1, 13), 3))
        Campaign.objects.filter(pk=campaign.pk).update(results_public=True)

    with django_assert_num_queries(4):  # campaigns, answers grouped, levels grouped, principles
        rows = comparison.cycle_scores(two_in_a_cycle.cycle)
    assert len(rows) == 4


def test_the_comparison_shows_published_campaigns_only(client, two_in_a_cycle):
    client.force_login(two_in_a_cycle.officer)  # Mostar's own team sees nothing more here

    response = client.get(f"/en/governance/cycles/{two_in_a_cycle.cycle.pk}/compare/")

    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "Trebinje" in table and "Mostar" not in table
    assert 'role="img"' in page and "<caption" in page


def test_the_comparison_sorts_by_a_column_without_javascript(client, two_in_a_cycle, django_assert_max_num_queries):
    Campaign.objects.filter(pk=two_in_a_cycle.campaign.pk).update(results_public=True)
    url = f"/en/governance/cycles/{two_in_a_cycle.cycle.pk}/compare/"

    def order(query: str) -> list[str]:
        page = client.get(url + query).content.decode()
        table = page[page.index("<tbody>") : page.index("</tbody>")]
        return re.findall(r"(Mostar|Trebinje)</a>", table)

    assert order("") == ["Mostar", "Trebinje"]
    assert order("?sort=overall&order=desc") == ["Trebinje", "Mostar"]
    assert order("?sort=overall&order=asc") == ["Mostar", "Trebinje"]
    assert order("?sort=p1&order=desc") == ["Trebinje", "Mostar"]  # 89.3 against 75.0
    assert order("?sort=municipality&order=desc") == ["Trebinje", "Mostar"]
    assert order("?sort=nonsense&order=sideways") == ["Mostar", "Trebinje"]
    page = client.get(url + "?sort=overall&order=desc").content.decode()
    assert 'aria-sort="descending"' in page
    assert 'href="?sort=overall&amp;order=asc"' in page  # choosing the column again reverses it
    with django_assert_max_num_queries(7):
        client.get(url)


def test_a_cycle_without_published_results_says_so(client, scored):
    page = client.get(f"/en/governance/cycles/{scored.cycle.pk}/compare/").content.decode()
    assert "No municipality of this cycle has published its results yet." in page


# --- Trend across cycles -----------------------------------------------------------------------------------------


@pytest.fixture
def benchmark_2008(db):
    """A 2008 benchmark with 12 principles and a citizens' questionnaire."""
    benchmark = Benchmark.objects.create(key="test-2008", edition=2008, title="Old benchmark")
    questionnaire = Questionnaire.objects.create(benchmark=benchmark, audience="citizens", title="Citizens")
    for number in range(1, 13):
        principle = Principle.objects.create(benchmark=benchmark, number=number, name=f"Old principle {number}")
        Item.objects.create(
            questionnaire=questionnaire, principle=principle, code=f"OLD-{number:02}", position=number, text="?"
        )
    return benchmark


def test_the_trend_maps_2008_principles_onto_2023(client, scored, benchmark_2008):
    old_cycle = Cycle.for_platform(scored.platform, benchmark=benchmark_2008, name="ELoGE 2022", year=2022)
    old_cycle.save()
    old = Campaign.objects.create(cycle=old_cycle, municipality=scored.campaign.municipality, phase=Phase.MONITORING)
    # 2008 principle 2 (responsiveness) is 2023 principle 9: citizens 5 there, 1 elsewhere
    answer(old, "citizens", {2: 5} | {number: 1 for number in range(1, 13) if number != 2})
    Campaign.objects.filter(pk__in=[old.pk, scored.campaign.pk]).update(results_public=True)

    found = comparison.trend(scored.campaign.municipality)

    assert found.edition == 2023
    assert [row.campaign.cycle.year for row in found.scores] == [2022, 2024]
    table = {principle.number: scores for principle, scores in found.table()}
    assert table[9] == [100, pytest.approx(52.5)]
    assert table[1] == [0, pytest.approx(75)]

    response = client.get("/en/governance/municipalities/mostar/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ELoGE 2022" in page and "ELoGE 2024" in page
    assert page.count('role="img"') == 13  # the overall line and one small chart per principle
    row = page[page.index("9. Principle 9") : page.index("10. Principle 10")]
    assert [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] == ["100.0", "52.5"]


def test_the_trend_leaves_unpublished_campaigns_out(client, scored):
    page = client.get("/en/governance/municipalities/mostar/").content.decode()
    assert "has not published the results of any cycle yet" in page
    assert client.get("/en/governance/municipalities/nowhere/").status_code == 404


# --- Charts ------------------------------------------------------------------------------------------------------


def test_a_missing_score_breaks_the_line_instead_of_dropping_to_zero():
    a, b, c, d = (0, 0), (1, 0), (2, 0), (3, 0)
    assert charts.runs([a, b, c, d], closed=True) == [[a, b, c, d, a]]  # a full ring
    assert charts.runs([a, b, None, d], closed=True) == [[d, a, b]]  # wraps from the last spoke to the first
    assert charts.runs([a, None, c, None], closed=True) == [[a], [c]]
    assert charts.runs([a, b, None, d], closed=False) == [[a, b], [d]]
    assert charts.runs([None, None], closed=True) == []


def test_chart_texts_are_escaped():
    svg = charts.bar_svg(["<b>Mostar</b>"], [50.0], "Title & more", "<script>alert(1)</script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;Mostar&lt;/b&gt;" in svg and "Title &amp; more" in svg


def test_published_results_are_cached_for_anonymous_visitors_until_an_answer_arrives(
    client, eloge, settings, require_service, django_capture_on_commit_callbacks
):
    """Against a real Redis (the page cache is off with the per-process cache)."""
    from django.core.cache import cache

    from civiclink.governance import responses

    require_service("Redis", "127.0.0.1", 6379)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/14"}
    }
    cache.clear()
    try:
        campaign = eloge.campaign
        campaign.results_public = True
        campaign.save()
        url = f"/en/governance/campaigns/{campaign.pk}/results/"
        first, second = client.get(url), client.get(url)
        assert first.context is not None and second.context is None  # the second came from the cache
        item = campaign.cycle.benchmark.questionnaires.get(audience="citizens").items.first()
        with django_capture_on_commit_callbacks(execute=True):
            responses.submit(campaign, "citizens", {item.pk: 5}, channel="paper")
        after = client.get(url)
        assert after.context is not None and after.context["results"].responses["citizens"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            campaign.results_public = False
            campaign.save()
        assert client.get(url).status_code == 403  # withdrawn: the cached page is not served
    finally:
        cache.clear()
