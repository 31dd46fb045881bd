"""Paper questionnaires imported from CSV (docs/governance-import.md): all rows or, when any row is bad, none, with
every problem named by its line."""

import io

import pytest
from django.core.management import CommandError, call_command

from civiclink.governance.imports import ImportFailed, import_responses
from civiclink.governance.models import Answer, Campaign, Channel, Phase, Response, SpentBallot
from civiclink.governance.responses import active_items, submit

pytestmark = pytest.mark.django_db

GOOD = """CIT-01,CIT-02,CIT-03,cit-12
4,5,?,1
,2,3,
1,0,,5
"""


def test_a_good_file_is_imported_as_paper_questionnaires(eloge):
    assert import_responses(eloge.campaign, "citizens", io.StringIO(GOOD)) == 3

    responses = Response.objects.order_by("pk")
    assert [(r.audience, r.channel) for r in responses] == [("citizens", "paper")] * 3
    rows = [dict(r.answers.values_list("item__code", "value")) for r in responses]
    assert rows == [
        {"CIT-01": 4, "CIT-02": 5, "CIT-03": None, "CIT-12": 1},
        {"CIT-02": 2, "CIT-03": 3},
        {"CIT-01": 1, "CIT-02": None, "CIT-12": 5},
    ]
    assert not SpentBallot.objects.exists()


def test_imported_rows_are_the_rows_a_typed_in_questionnaire_gives(eloge):
    items = {item.code: item for item in active_items(eloge.campaign, "citizens")}
    typed = submit(eloge.campaign, "citizens", {items["CIT-01"].pk: 4, items["CIT-12"].pk: None}, channel=Channel.PAPER)
    import_responses(eloge.campaign, "citizens", io.StringIO("CIT-01,CIT-12\n4,?\n"))

    def shape(response):
        answers = Answer.objects.filter(response=response).order_by("item__code")
        fields = ("item_id", "campaign_id", "audience", "principle_id", "value")
        return (
            (response.campaign_id, response.audience, response.channel, response.submitted_on),
            [tuple(getattr(answer, name) for name in fields) for answer in answers],
        )

    imported = Response.objects.exclude(pk=typed.pk).get()
    assert shape(imported) == shape(typed)


def test_a_channel_column_is_optional(eloge):
    text = "channel,CIT-01\nbench,3\n,4\nPaper,5\n"
    assert import_responses(eloge.campaign, "citizens", io.StringIO(text)) == 3
    assert list(Response.objects.order_by("pk").values_list("channel", flat=True)) == ["bench", "paper", "paper"]


def test_a_bad_file_imports_nothing_and_names_every_problem(eloge):
    text = (
        "CIT-01,CIT-02,NOPE-1\n"  # line 1: an unknown column
        "4,5,\n"  # line 2: fine
        "7,5,\n"  # line 3: out of the 1..5 scale
        "\n"  # line 4: blank, skipped
        "x,2,\n"  # line 5: not a number
        "3,3\n"  # line 6: a cell missing
        ",,\n"  # line 7: empty cells, skipped like a blank line
    )
    with pytest.raises(ImportFailed) as failure:
        import_responses(eloge.campaign, "citizens", io.StringIO(text))

    problems = failure.value.problems
    assert [problem.split(":")[0] for problem in problems] == ["line 1", "line 3", "line 5", "line 6"]
    assert "NOPE-1" in problems[0]
    assert "column 1 (CIT-01)" in problems[1] and "“7”" in problems[1]
    assert "“x”" in problems[2]
    assert "2 cells where the first line has 3" in problems[3]
    assert not Response.objects.exists() and not Answer.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "line 1: the first line must name the item codes"),
        ("CIT-01\n", "line 2: the file has no questionnaires"),
        ("CIT-01,CIT-01\n3,4\n", "line 1: column 2: “CIT-01” appears twice"),
        ("COU-01\n3\n", "line 1: column 1: unknown item code “COU-01”"),  # another questionnaire's item
        ("channel,CIT-01\npost,3\n", "line 2: column 1: unknown channel “post”"),
        ("channel,CIT-01\npaper,\n", "line 2: no answer in this row"),
    ],
)
def test_files_without_usable_questionnaires_are_refused(eloge, text, expected):
    with pytest.raises(ImportFailed) as failure:
        import_responses(eloge.campaign, "citizens", io.StringIO(text))
    assert any(problem.startswith(expected) for problem in failure.value.problems), failure.value.problems


def test_nothing_is_imported_once_the_surveys_are_closed(eloge):
    Campaign.objects.filter(pk=eloge.campaign.pk).update(phase=Phase.EVALUATION)
    eloge.campaign.refresh_from_db()
    with pytest.raises(ImportFailed):
        import_responses(eloge.campaign, "citizens", io.StringIO(GOOD))
    assert not Response.objects.exists()


def test_thousands_of_rows_take_a_handful_of_queries(eloge, django_assert_max_num_queries):
    text = "CIT-01,CIT-02,CIT-03\n" + "4,?,2\n" * 5000
    with django_assert_max_num_queries(20):  # items, then a few bulk inserts (their size depends on the database)
        assert import_responses(eloge.campaign, "citizens", io.StringIO(text)) == 5000
    assert Answer.objects.count() == 15000


def test_the_command_imports_a_file(eloge, tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")  # as spreadsheets save it, with a byte order mark
    out = io.StringIO()
    call_command(
        "governance",
        "import-responses",
        "--campaign",
        eloge.campaign.pk,
        "--questionnaire",
        "citizens",
        path,
        stdout=out,
    )
    assert "Imported 3 responses." in out.getvalue()
    assert Response.objects.count() == 3


def test_the_command_lists_the_problems_of_a_bad_file(eloge, tmp_path):
    path = tmp_path / "paper.csv"
    path.write_text("CIT-01\n9\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command(
            "governance",
            "import-responses",
            "--campaign",
            eloge.campaign.pk,
            "--questionnaire",
            "citizens",
            path,
            stderr=err,
        )
    assert err.getvalue().startswith("line 2: column 1 (CIT-01)")
    assert not Response.objects.exists()
