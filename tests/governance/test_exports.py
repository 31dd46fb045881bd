"""Exports of results and anonymised responses: the command's JSON and CSV, the downloads (CSV and XLSX), who may
download what, and that a response cannot be traced back through an export."""

import csv
import datetime
import io
import json
import random

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from civiclink.governance import exports
from civiclink.governance.models import Campaign, Response

from .test_scoring import answer, assess, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(eloge, world):
    """Mostar: self 3 and 2 on principle 1 (62.5); citizens over two days, with a "don't know", a skipped item
    and a response with no answer at all; one councillor. Another campaign's responses come first, so that
    database ids and running numbers differ."""
    other = Campaign.objects.create(cycle=eloge.cycle, municipality=world.away)
    answer(other, "citizens", {1: 1}, times=7)
    campaign = eloge.campaign
    assess(campaign, "1.1", 3)
    assess(campaign, "1.2", 2)
    answer(campaign, "citizens", {1: 5, 2: None, 3: 4}, on=datetime.date(2024, 5, 3))
    answer(campaign, "citizens", {1: 4, 3: 2}, on=datetime.date(2024, 5, 2), channel="paper")  # 2 skipped
    answer(campaign, "citizens", {}, on=datetime.date(2024, 5, 3))  # handed in empty
    answer(campaign, "councillors", {1: 2, 2: 3}, on=datetime.date(2024, 5, 2))
    return eloge


def command_output(capsys, *args) -> str:
    """What `civiclink governance export ...` printed. The command writes to sys.stdout rather than to the
    `stdout` given to call_command, so both are read. Commands run in the active language: English here."""
    given = io.StringIO()
    with translation.override("en"):
        call_command("governance", "export", *args, stdout=given)
    return given.getvalue() + capsys.readouterr().out


# --- Results -----------------------------------------------------------------------------------------------------


def test_the_command_prints_results_as_json(exported, capsys):
    output = command_output(capsys, "--campaign", str(exported.campaign.pk), "--what", "results", "--format", "json")

    data = json.loads(output)
    assert (data["campaign"], data["municipality"], data["cycle"], data["year"]) == (
        exported.campaign.pk,
        "mostar",
        "ELoGE 2024",
        2024,
    )
    assert data["responses"] == {"councillors": 1, "staff": 0, "citizens": 3}
    first = data["principles"][0]
    assert first["number"] == 1 and first["name"] == "Principle 1"
    # citizens 5 and 4 -> 87.5; councillor 2 -> 25; self 62.5
    assert first["sources"] == {
        "self": {"score": 62.5, "count": 2},
        "councillors": {"score": 25.0, "count": 1},
        "staff": {"score": None, "count": 0},
        "citizens": {"score": 87.5, "count": 2},
    }
    # (62.5 * 40 + 25 * 20 + 87.5 * 30) / 90 = 5625 / 90 = 62.5
    assert first["combined"] == 62.5
    assert first["gaps"] == {"citizens": -25.0, "councillors": 37.5, "staff": None}
    # principle 3: citizens 4 and 2 -> 3 -> 50, the only source; principle 2: councillor 3 -> 50 ("?" left out)
    assert [p["combined"] for p in data["principles"][:4]] == [62.5, 50.0, 50.0, None]
    assert data["overall"] == pytest.approx(54.2)  # (62.5 + 50 + 50) / 3 = 54.1666 -> 54.2
    assert {rule["rule"]: rule["met"] for rule in data["rules"]}["The self-assessment is submitted."] is False


@pytest.mark.parametrize(("what", "fmt"), [("results", "json"), ("responses", "json"), ("responses", "csv")])
def test_output_passes_unchanged_through_a_commands_output_wrapper(exported, what, fmt):
    """A command's `self.stdout` adds a line break to any write that lacks one: every piece ends with one."""
    from django.core.management.base import OutputWrapper

    plain, wrapped = io.StringIO(), io.StringIO()
    exports.write_export(fresh(exported.campaign), what, fmt, plain)
    exports.write_export(fresh(exported.campaign), what, fmt, OutputWrapper(wrapped))

    assert wrapped.getvalue() == plain.getvalue()


def test_scores_are_rounded_half_up_to_one_decimal():
    assert exports.rounded(73.21428) == 73.2
    assert exports.rounded(54.375) == 54.4
    assert exports.rounded(0.25) == 0.3  # round() would say 0.2
    assert exports.rounded(None) is None


def test_the_command_prints_results_as_csv(exported, capsys):
    output = command_output(capsys, "--campaign", str(exported.campaign.pk), "--what", "results", "--format", "csv")

    table = list(csv.reader(io.StringIO(output)))
    assert len(table) == 1 + 12 + 1  # header, principles, overall
    assert table[0][:4] == ["Number", "Principle", "Score: self-assessment", "Answers: self-assessment"]
    assert table[0][-3:] == [
        "Gap: self-assessment minus citizens",
        "Gap: self-assessment minus councillors",
        "Gap: self-assessment minus municipal staff",
    ]
    assert table[1] == ["1", "Principle 1", "62.5", "2", "25.0", "1", "", "0", "87.5", "2", "62.5", "-25.0", "37.5", ""]
    assert table[-1][1:2] == ["Overall score"] and table[-1][10] == "54.2"


def test_an_unknown_campaign_is_an_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No campaign with id 424242"):
        call_command("governance", "export", "--campaign", "424242", "--what", "results")


# --- Responses ---------------------------------------------------------------------------------------------------


def test_the_command_prints_anonymised_responses_as_csv(exported, capsys):
    output = command_output(capsys, "--campaign", str(exported.campaign.pk), "--what", "responses", "--format", "csv")

    table = list(csv.reader(io.StringIO(output)))
    header, rows = table[0], table[1:]
    assert header[:4] == ["response", "audience", "channel", "submitted_on"]
    assert header[4:] == [f"CIT-{n:02}" for n in range(1, 13)] + [f"COU-{n:02}" for n in range(1, 13)] + [
        f"STA-{n:02}" for n in range(1, 13)
    ]
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]  # running numbers, not database ids
    assert [row[3] for row in rows] == ["2024-05-02", "2024-05-02", "2024-05-03", "2024-05-03"]  # day, no time
    cells = {tuple(row[1:4]): dict(zip(header[4:], row[4:], strict=True)) for row in rows if row[3] == "2024-05-02"}
    paper = cells[("citizens", "paper", "2024-05-02")]
    assert (paper["CIT-01"], paper["CIT-02"], paper["CIT-03"], paper["CIT-04"]) == ("4", "", "2", "")
    assert cells[("councillors", "web", "2024-05-02")]["COU-02"] == "3"
    second_day = [dict(zip(header[4:], row[4:], strict=True)) for row in rows if row[3] == "2024-05-03"]
    assert {(r["CIT-01"], r["CIT-02"], r["CIT-03"]) for r in second_day} == {("5", "?", "4"), ("", "", "")}


def test_responses_as_json(exported, capsys):
    output = command_output(capsys, "--campaign", str(exported.campaign.pk), "--what", "responses", "--format", "json")

    data = json.loads(output)
    assert [item["response"] for item in data] == [1, 2, 3, 4]
    assert set(data[0]) == {"response", "audience", "channel", "submitted_on", "answers"}
    answers = [item["answers"] for item in data]
    assert {"CIT-01": 5, "CIT-02": "?", "CIT-03": 4} in answers  # "don't know" marked, skipped left out
    assert {} in answers


def test_no_responses_is_an_empty_list_and_a_header(eloge):
    out = io.StringIO()
    exports.write_export(fresh(eloge.campaign), "responses", "json", out)
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    exports.write_export(fresh(eloge.campaign), "responses", "csv", out)
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) == 1


def test_rows_within_a_day_do_not_follow_the_order_of_submission(eloge):
    """Sorted by day, then by a secret key: the running number does not tell who answered first."""
    answer(eloge.campaign, "citizens", {1: 1}, times=30)
    Response.objects.filter(campaign=eloge.campaign).update(submitted_on=datetime.date(2024, 5, 2))
    # Not periodic: a repeating pattern could survive the shuffle by coincidence for some secret keys.
    pattern = random.Random(7).choices(range(1, 6), k=30)
    values = {response.pk: pattern[index] for index, response in enumerate(Response.objects.order_by("pk"))}
    from civiclink.governance.models import Answer

    for pk, value in values.items():
        Answer.objects.filter(response_id=pk).update(value=value)

    out = io.StringIO()
    exports.write_export(fresh(eloge.campaign), "responses", "csv", out)
    exported_values = [int(row[4]) for row in list(csv.reader(io.StringIO(out.getvalue())))[1:]]

    assert sorted(exported_values) == sorted(values.values())
    assert exported_values != list(values.values())
    out2 = io.StringIO()
    exports.write_export(fresh(eloge.campaign), "responses", "csv", out2)
    assert out2.getvalue() == out.getvalue()  # stable


def test_responses_are_streamed_in_a_constant_number_of_queries(eloge, django_assert_max_num_queries):
    answer(eloge.campaign, "citizens", dict.fromkeys(range(1, 13), 3), times=600)
    campaign = fresh(eloge.campaign)
    out = io.StringIO()

    with django_assert_max_num_queries(2):  # the item codes, then one ordered scan through an iterator
        exports.write_export(campaign, "responses", "csv", out)

    assert out.getvalue().count("\n") == 601


def test_exports_contain_no_personal_data(client, exported):
    """No user, e-mail address or database id of a response ends up in an export."""
    pks = {str(pk) for pk in Response.objects.filter(campaign=exported.campaign).values_list("pk", flat=True)}
    texts = {}
    for fmt in ("csv", "json"):
        out = io.StringIO()
        exports.write_export(fresh(exported.campaign), "responses", fmt, out)
        texts[fmt] = out.getvalue()
    client.force_login(exported.officer)
    texts["download"] = download(client.get(f"/en/governance/campaigns/{exported.campaign.pk}/responses.csv")).decode()

    for text in texts.values():
        assert "@" not in text
    rows = list(csv.reader(io.StringIO(texts["csv"])))
    assert rows[0][:4] == ["response", "audience", "channel", "submitted_on"]
    assert {row[0] for row in rows[1:]}.isdisjoint(pks)  # the other campaign's responses took ids 1-7


# --- Downloads ---------------------------------------------------------------------------------------------------


def download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_results_download_as_csv_and_xlsx(client, exported):
    client.force_login(exported.officer)
    base = f"/en/governance/campaigns/{exported.campaign.pk}"

    response = client.get(f"{base}/results.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="eloge-mostar-2024-results.csv"'
    text = download(response).decode("utf-8")
    assert text.startswith("\ufeff")  # so that spreadsheet programs read UTF-8
    assert list(csv.reader(io.StringIO(text[1:])))[1][:3] == ["1", "Principle 1", "62.5"]

    response = client.get(f"{base}/results.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == (1, "Principle 1", 62.5, 2, 25.0)
    assert rows[-1][1] == "Overall score" and rows[-1][10] == 54.2
    assert sheet["A1"].font.bold


def test_responses_download_as_xlsx(client, exported):
    client.force_login(exported.evaluator)

    response = client.get(f"/en/governance/campaigns/{exported.campaign.pk}/responses.xlsx")

    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(download(response))).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("response", "audience", "channel", "submitted_on", "CIT-01")
    assert [row[0] for row in rows[1:]] == [1, 2, 3, 4]
    assert ("citizens", "web", "2024-05-03", 5, "?", 4) in {row[1:7] for row in rows[1:]}


def test_an_unknown_format_is_404(client, exported):
    client.force_login(exported.officer)
    assert client.get(f"/en/governance/campaigns/{exported.campaign.pk}/results.pdf").status_code == 404
    assert client.get(f"/en/governance/campaigns/{exported.campaign.pk}/responses.txt").status_code == 404


RESULTS_ALLOWED = {"officer", "mentor", "evaluator", "platform_staff", "staff"}
RESPONSES_ALLOWED = {"officer", "evaluator", "platform_staff", "staff"}  # not the mentor: advises, does not run


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("who", ["officer", "mentor", "evaluator", "platform_staff", "staff", "outsider", "anonymous"])
def test_who_may_download_what(client, exported, who, published):
    Campaign.objects.filter(pk=exported.campaign.pk).update(results_public=published)
    user = getattr(exported, who, None)
    if user is not None:
        client.force_login(user)
    base = f"/en/governance/campaigns/{exported.campaign.pk}"

    results = client.get(f"{base}/results.csv")
    responses = client.get(f"{base}/responses.csv")

    assert (results.status_code == 200) is (who in RESULTS_ALLOWED or published)
    # raw responses are never public, published results or not
    assert (responses.status_code == 200) is (who in RESPONSES_ALLOWED)
    for denied in (r for r in (results, responses) if r.status_code != 200):
        assert denied.status_code in {302, 403}
