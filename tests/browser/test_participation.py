"""Participatory processes in Chromium, by keyboard only: a citizen reports a problem from a phone, a CSO member
supports a proposal and comments on it, an officer answers and moves it to "in progress", an anonymous visitor is
told how to support and votes in a poll. axe-core (WCAG 2.1 A and AA) checks the process, proposal, poll,
meetings and results pages in Bosnian (Latin) and Serbian (Cyrillic), with the strict CSP and no console errors.

The data is one process of Mostar in its proposals phase, with every feature: two categories, two local
communities, a proposal with a discussion (stances, a reply, an official answer, an edit and a deletion), an open
poll and a closed one with votes, a meeting to come and one held, and a result with a progress update.
"""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from support import PASSWORD

from .helpers import (
    BROWSER_TEST,
    assert_visible_focus,
    axe_violations,
    describe_violations,
    gettext_in,
    has_horizontal_overflow,
    skipped_heading_levels,
    tab_to,
)

pytestmark = BROWSER_TEST

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SLUG = "uredjenje-mahale"
PROCESS = f"/{{language}}/participation/{SLUG}/"
TABS = 60  # Tab presses allowed to reach a control: header, language links and the process tabs come first


def _process(municipality, officer):
    """A published process of `municipality` with every feature and a running phase that opens every action to the
    audience the registry proposes (registered users; anyone for polls, CSO members for endorsements)."""
    from civiclink.participation.features import registry
    from civiclink.participation.models import Phase, PhaseCapability, Process, ProcessFeature

    now = timezone.now()
    process = Process.objects.create(
        municipality=municipality,
        title="Uređenje mahale",
        slug=SLUG,
        summary="Šta treba popraviti u vašem naselju? Prijavite problem, predložite rješenje i podržite prijedloge.",
        description="Općina Mostar ove godine ima 300.000 KM za male radove u mjesnim zajednicama.",
        language="bs",
        published=True,
        created_by=officer,
    )
    for feature in registry:
        ProcessFeature.objects.create(process=process, feature=feature.key)
    Phase.objects.create(
        process=process,
        name="Priprema",
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=8),
        language="bs",
    )
    phase = Phase.objects.create(
        process=process,
        name="Prijedlozi",
        starts_at=now - datetime.timedelta(days=7),
        ends_at=now + datetime.timedelta(days=30),
        language="bs",
    )
    PhaseCapability.objects.bulk_create(
        PhaseCapability(phase=phase, feature=feature.key, action=action.name, audience=action.default_audience)
        for feature in registry
        for action in feature.actions
    )
    return Process.objects.get(pk=process.pk)


def _polls(process):
    """An open poll (a question of each kind) and a closed one with paper and web ballots."""
    from civiclink.participation import polls
    from civiclink.participation.models import Choice, Poll, Question, Source

    now = timezone.now()

    def make_poll(title, **dates):
        poll = Poll.objects.create(process=process, title=title, language="bs", show_results="voted", **dates)
        questions = []
        for position, (kind, text, choices, required) in enumerate(
            [
                ("single", "Gdje da uredimo novi park?", ["Uz Neretvu", "Kod škole", "Na Bijelom Brijegu"], True),
                ("multiple", "Šta park treba imati?", ["Klupe", "Igralište", "Česmu", "Rasvjetu"], True),
                ("ranking", "Poredajte radove po važnosti.", ["Trotoari", "Rasvjeta", "Zelenilo"], False),
                ("text", "Šta još želite poručiti općini?", [], False),
            ],
            start=1,
        ):
            question = Question.objects.create(
                poll=poll,
                kind=kind,
                text=text,
                required=required,
                position=position,
                max_choices=2 if kind == "multiple" else None,
                language="bs",
            )
            for index, choice in enumerate(choices, start=1):
                Choice.objects.create(question=question, text=choice, position=index, language="bs")
            questions.append(question)
        return poll, questions

    open_poll, _questions = make_poll(
        "Novi park u Mostaru",
        description="Glasati može svako, i bez korisničkog računa.",
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(days=20),
    )
    closed_poll, questions = make_poll(
        "Radno vrijeme mjesne zajednice",
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now + datetime.timedelta(days=1),
    )
    single, multiple, ranking, text = questions
    for offset in range(4):
        choices = {question.pk: [choice.pk for choice in question.choices.all()] for question in questions[:3]}
        answers = {
            single.pk: choices[single.pk][offset % 3],
            multiple.pk: choices[multiple.pk][offset % 4 : offset % 4 + 2],
            ranking.pk: list(reversed(choices[ranking.pk])) if offset % 2 else choices[ranking.pk],
            text.pk: "Subotom ujutro." if offset == 0 else "",
        }
        paper = offset < 3
        polls.vote(
            closed_poll,
            answers,
            source=Source.PAPER if paper else Source.WEB,
            credential_kind="paper" if paper else "browser",
            credential=None if paper else f"browser-token-{offset}",
        )
    Poll.objects.filter(pk=closed_poll.pk).update(closes_at=now - datetime.timedelta(hours=1))
    return open_poll, closed_poll


@pytest.fixture
def participation(world, make_user, role_user):
    """Mostar's process with proposals, a discussion, polls, meetings and a result (see the module's docstring)."""
    from civiclink.participation import comments, proposals, results, supports
    from civiclink.participation.models import Category, Meeting, ProposalKind, ProposalState, Result, Stance
    from civiclink.places.models import LocalCommunity

    citizen = make_user("amra@example.org", first_name="Amra", last_name="Hodžić")
    neighbour = make_user("dragan@example.org", first_name="Dragan", last_name="Marić")
    member = role_user("org_member")  # member of CGI (verified) and of an unverified association
    officer = role_user("officer")  # municipal officer of Mostar
    process = _process(world.home, officer)
    roads = Category.objects.create(process=process, name="Ceste i trotoari", position=1, language="bs")
    green = Category.objects.create(process=process, name="Zelene površine", position=2, language="bs")
    centre = LocalCommunity.objects.create(municipality=world.home, name="Centar I", slug="centar-i", language="bs")
    LocalCommunity.objects.create(municipality=world.home, name="Zahum", slug="zahum", language="bs")

    bench = proposals.create_proposal(
        process,
        author=citizen,
        kind=ProposalKind.PROPOSAL,
        title="Klupe i hlad uz šetalište na Neretvi",
        body="Na šetalištu nema gdje sjesti. Predlažem deset klupa i drveće koje daje hlad.",
        category=green,
        community=centre,
        address="Šetalište uz Neretvu",
    )
    supports.support(bench, neighbour)
    supports.support(bench, citizen)
    proposals.endorse(bench, world.own, by=member)
    first = comments.post(bench, neighbour, "Odlična ideja, ljeti je nemoguće šetati bez hlada.", stance=Stance.FOR)
    comments.post(bench, citizen, "Hvala! Klupe bi trebale imati i naslon.", parent=first)
    edited = comments.post(bench, neighbour, "Koliko bi to koštalo?", stance=Stance.NEUTRAL)
    comments.edit(edited, neighbour, "Koliko bi to koštalo općinu?", stance=Stance.NEUTRAL)
    removed = comments.post(bench, citizen, "Greška, obrisati.")
    comments.delete(removed, citizen)
    comments.post(bench, officer, "Prijedlog ćemo razmotriti na sjednici u junu.", official=True)

    proposals.create_proposal(
        process,
        author=member,
        kind=ProposalKind.PROBLEM,
        title="Rupe na trotoaru u Ulici kralja Tvrtka",
        body="Trotoar je pun rupa, roditelji s kolicima hodaju po cesti.",
        category=roads,
        community=centre,
        organisation=world.own,
    )
    lights = proposals.create_proposal(
        process,
        author=neighbour,
        title="Javna rasvjeta na Zahumu",
        body="Ulice na Zahumu su noću potpuno mračne.",
        category=roads,
    )
    proposals.answer(lights, "Rasvjeta je uvrštena u plan za ovu godinu.", by=officer)
    proposals.change_state(lights, ProposalState.ACCEPTED, by=officer, reason="Sredstva su osigurana.")
    result = results.from_proposal(lights, by=officer)
    today = timezone.now().date()
    results.add_update(
        result,
        date=today - datetime.timedelta(days=3),
        text="Postavljeno je 12 od 40 stubova.",
        progress=30,
        status="progress",
        by=officer,
    )
    Result.objects.create(
        process=process,
        title="Obnova dječijeg igrališta u Centru I",
        description="Nove sprave i podloga.",
        status="planned",
        budget=45000,
        language="bs",
    )

    open_poll, closed_poll = _polls(process)
    now = timezone.now()
    meeting = Meeting.objects.create(
        process=process,
        title="Javna rasprava o prijedlozima",
        description="Predstavljanje prijedloga građana i razgovor s načelnikom.",
        starts_at=now + datetime.timedelta(days=5),
        ends_at=now + datetime.timedelta(days=5, hours=2),
        place="Sala Gradskog vijeća",
        address="Hrvatskih branitelja bb, Mostar",
        online_url="https://meet.example.org/mostar-rasprava",
        agenda="1. Uvod\n2. Prijedlozi građana\n3. Pitanja",
        capacity=40,
        language="bs",
    )
    Meeting.objects.create(
        process=process,
        title="Uvodni sastanak",
        starts_at=now - datetime.timedelta(days=6),
        ends_at=now - datetime.timedelta(days=6) + datetime.timedelta(hours=2),
        place="Mjesna zajednica Centar I",
        capacity=30,
        attendance=24,
        minutes="Dogovoreno je da se prijedlozi primaju mjesec dana.",
        language="bs",
    )
    return SimpleNamespace(
        process=process,
        bench=bench,
        result=result,
        open_poll=open_poll,
        closed_poll=closed_poll,
        meeting=meeting,
        roads=roads,
        centre=centre,
        citizen=citizen,
        member=member,
        officer=officer,
    )


def _proposal_path(proposal, language="bs"):
    return f"/{language}/participation/{SLUG}/proposals/{proposal.pk}/"


def _press_until(page, key: str, done, limit: int = 10) -> None:
    """Press `key` until `done()` holds (a select moved to the wanted option by the arrow keys)."""
    for _ in range(limit):
        if done():
            return
        page.keyboard.press(key)
    assert done(), f"{key} pressed {limit} times without reaching the wanted state"


def _choose(page, select, label: str) -> None:
    """Move the focused <select> to the option labelled `label` with the arrow keys, as a keyboard user does."""
    expect(select).to_be_focused()
    wanted = select.locator("option").filter(has_text=label).first.get_attribute("value")
    _press_until(page, "ArrowDown", lambda: select.input_value() == wanted)


# --- A citizen reports a problem from a phone -------------------------------------------------------------------


def test_a_citizen_reports_a_problem_from_a_phone_by_keyboard(new_context, participation, console):
    from civiclink.participation.models import Proposal, ProposalKind

    process_path = PROCESS.format(language="bs")
    page = new_context(**PHONE).new_page()
    page.goto(f"/bs/accounts/login/?next={process_path}")
    tab_to(page, page.locator("#id_login"), limit=TABS)
    page.keyboard.type("amra@example.org")
    tab_to(page, page.locator("#id_password"), limit=3)  # the e-mail field's help may hold a link
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(process_path)}$"))
    expect(page.locator("h1")).to_have_text("Uređenje mahale")
    assert not has_horizontal_overflow(page)

    report = page.get_by_role("link", name=gettext_in("bs", "Report a problem"))
    tab_to(page, report, limit=TABS)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/proposals/new/\?kind=problem$"))
    expect(page.locator("h1")).to_have_text(gettext_in("bs", "Report a problem"))
    expect(page.locator("input[name=kind][value=problem]")).to_be_checked()
    assert not has_horizontal_overflow(page)

    title = "Razbijena ulična lampa kod škole"
    description = "Lampa ispred Osnovne škole je razbijena već dva mjeseca, ulaz je noću u mraku."
    tab_to(page, page.locator("#id_title"), limit=TABS)
    page.keyboard.type(title)
    page.keyboard.press("Tab")
    expect(page.locator("#id_body")).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.type(description)
    page.keyboard.press("Tab")
    category = page.locator("#id_category")
    _choose(page, category, "Ceste i trotoari")
    assert_visible_focus(page)
    page.keyboard.press("Tab")
    community = page.locator("#id_community")
    _choose(page, community, "Centar I")
    assert_visible_focus(page)
    publish = page.locator("form.proposal-form button[type=submit]")
    tab_to(page, publish, limit=15)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/bs/participation/{SLUG}/proposals/\d+/$"))
    created = Proposal.objects.get(title=title)
    assert page.url.endswith(f"/proposals/{created.pk}/")
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".messages")).to_contain_text(gettext_in("bs", "Thank you. Your contribution is published."))
    expect(page.locator(".proposal-main .prose")).to_contain_text(description)
    expect(page.locator(".proposal-facts")).to_contain_text("Ceste i trotoari")
    expect(page.locator(".proposal-facts")).to_contain_text("Centar I")
    assert not has_horizontal_overflow(page)
    assert created.kind == ProposalKind.PROBLEM
    assert created.author == participation.citizen
    assert (created.category, created.community) == (participation.roads, participation.centre)
    assert not console, console


# --- A CSO member supports and comments -------------------------------------------------------------------------


def test_a_cso_member_supports_and_comments_by_keyboard(page, participation, log_in_as, console):
    from civiclink.participation.models import Comment, Proposal, Support

    bench = participation.bench
    log_in_as(page.context, participation.member)
    page.goto(_proposal_path(bench))
    count = page.locator(".support-count strong")
    expect(count).to_have_text("2")

    support = page.locator(".proposal-side form.support-form button[type=submit]")
    tab_to(page, support, limit=TABS)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(gettext_in("bs", "Thank you for your support."))
    expect(count).to_have_text("3")
    expect(page.locator(".proposal-side .supported")).to_have_text(gettext_in("bs", "You support this."))
    assert Support.objects.filter(proposal=bench, user=participation.member).exists()

    text = "Naša organizacija može organizovati volontere za sadnju drveća."
    tab_to(page, page.locator("#id_comment-body"), limit=TABS)
    page.keyboard.type(text)
    page.keyboard.press("Tab")  # into the stance radios: "No stance" first, then the arrow keys
    stances = page.locator("input[name=comment-stance]")
    expect(stances.first).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=comment-stance][value=for]")).to_be_checked()
    assert_visible_focus(page)
    publish = page.locator("form.comment-form button[type=submit]")
    tab_to(page, publish, limit=5)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"{re.escape(_proposal_path(bench))}#comment-\d+$"))
    comment = Comment.objects.get(body=text)
    assert page.url.endswith(f"#comment-{comment.pk}")
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".comment-body")).to_have_text(text)
    expect(shown.locator(".comment-stance")).to_contain_text(gettext_in("bs", "For"))
    expect(shown.locator(".comment-author")).to_have_text(participation.member.display_name)
    expect(page.locator("#comments-heading .comment-count")).to_have_text("(5)")  # 4 before: the deleted one is not
    assert comment.stance == "for" and comment.author == participation.member
    assert Proposal.objects.get(pk=bench.pk).support_count == 3
    assert not console, console


# --- An officer answers and moves the proposal to "in progress" ---------------------------------------------------


def _answer_by_keyboard(page, answer: str | None, state_label: str, reason: str) -> None:
    answer_box = page.locator("#id_answer")
    tab_to(page, answer_box, limit=TABS + 40)  # after the comments and their links
    if answer is not None:
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(answer)
    page.keyboard.press("Tab")
    _choose(page, page.locator("#id_state"), state_label)
    assert_visible_focus(page)
    page.keyboard.press("Tab")
    expect(page.locator("#id_reason")).to_be_focused()
    page.keyboard.type(reason)
    tab_to(page, page.locator(".answer-form form button[type=submit]").first, limit=5)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(gettext_in("bs", "The answer has been published."))


def test_an_officer_answers_and_starts_work_by_keyboard(page, new_context, participation, log_in_as, console):
    from civiclink.participation.models import Proposal, ProposalState

    bench = participation.bench
    path = _proposal_path(bench)
    log_in_as(page.context, participation.officer)
    page.goto(path)
    answer = "Općina prihvata prijedlog: deset klupa i dvadeset stabala bit će postavljeno do kraja godine."
    _answer_by_keyboard(page, answer, gettext_in("bs", "Accepted"), "Prijedlog je u skladu s planom uređenja.")
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    assert Proposal.objects.get(pk=bench.pk).state == ProposalState.ACCEPTED

    _answer_by_keyboard(page, None, gettext_in("bs", "In progress"), "Radovi su počeli 1. juna.")
    stored = Proposal.objects.get(pk=bench.pk)
    assert (stored.state, stored.answer) == (ProposalState.IN_PROGRESS, answer)
    assert list(stored.state_changes.values_list("old_state", "new_state")) == [
        (ProposalState.SUBMITTED, ProposalState.ACCEPTED),
        (ProposalState.ACCEPTED, ProposalState.IN_PROGRESS),
    ]

    # Everyone, also from the page cache, sees the municipality's answer, the new state and the history.
    visitor = new_context().new_page()
    visitor.goto(path)
    section = visitor.locator("section.proposal-answer")
    expect(section.locator("#answer-heading")).to_have_text(gettext_in("bs", "Answer of the municipality"))
    expect(section.locator(".official-answer")).to_contain_text(answer)
    expect(visitor.locator(".proposal-main .state")).to_have_text(gettext_in("bs", "In progress"))
    expect(section.locator(".state-history li")).to_have_count(2)
    expect(section.locator(".state-history li").last).to_contain_text("Radovi su počeli 1. juna.")
    closed = gettext_in("bs", "Supports are closed for this proposal.")
    expect(visitor.locator(".proposal-side")).to_contain_text(closed)
    expect(visitor.locator("#id_answer")).to_have_count(0)
    assert not console, console


# --- An anonymous visitor is told how to support -----------------------------------------------------------------


def test_an_anonymous_visitor_is_told_to_log_in_to_support(page, participation, console):
    path = _proposal_path(participation.bench)
    page.goto(path)
    note = page.locator(".proposal-side .access-note").first
    login_to_support = gettext_in("bs", "Log in to %(action)s.") % {
        "action": gettext_in("bs", "support a proposal", "action")
    }
    expect(note).to_contain_text(login_to_support)
    expect(page.locator("form.support-form")).to_have_count(0)
    expect(page.locator(".support-count strong")).to_have_text("2")
    # The comment section says the same for commenting, and no page for anonymous visitors holds a CSRF token.
    login_to_comment = gettext_in("bs", "Log in to %(action)s.") % {"action": gettext_in("bs", "comment", "action")}
    expect(page.locator("#comments .access-note")).to_contain_text(login_to_comment)
    expect(page.locator("input[name=csrfmiddlewaretoken]")).to_have_count(0)

    link = note.get_by_role("link", name=gettext_in("bs", "Log in"))
    tab_to(page, link, limit=TABS)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/bs/accounts/login/\?next="))
    assert parse_qs(urlsplit(page.url).query)["next"] == [path]
    expect(page.locator("#id_login")).to_be_visible()
    assert not console, console


# --- An anonymous visitor votes in a poll -------------------------------------------------------------------------


def test_an_anonymous_visitor_votes_in_a_poll_by_keyboard_and_sees_the_results(page, participation, console):
    from civiclink.participation.models import Ballot, Vote

    poll = participation.open_poll
    path = f"/bs/participation/{SLUG}/polls/{poll.pk}/"
    page.goto(path)
    expect(page.locator("form.poll-form fieldset.poll-question")).to_have_count(4)
    expect(page.locator(".poll-results")).to_have_count(0)
    expect(page.locator(".poll-results-note")).to_be_visible()
    single, multiple, ranking, _text = poll.questions.order_by("position")

    # One choice: Tab into the group, the arrow key moves to (and picks) the second answer.
    radios = page.locator(f"#question-{single.pk} input[type=radio]")
    tab_to(page, radios.first, limit=TABS)
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    # Several choices: Space ticks the checkboxes, Tab moves between them.
    boxes = page.locator(f"#question-{multiple.pk} input[type=checkbox]")
    tab_to(page, boxes.first, limit=5)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(boxes.nth(2)).to_be_focused()
    page.keyboard.press("Space")
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(2)).to_be_checked()
    # Ranking: numbers typed in front of the choices.
    ranks = page.locator(f"#question-{ranking.pk} input[type=number]")
    tab_to(page, ranks.first, limit=5)
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    tab_to(page, page.locator("form.poll-form button[type=submit]"), limit=10)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    expect(page.locator(".messages")).to_contain_text(gettext_in("bs", "Thank you! Your vote has been counted."))
    expect(page.locator("form.poll-form")).to_have_count(0)
    results = page.locator(".poll-results")
    expect(results).to_be_visible()
    ballots = gettext_in("bs", "%(counter)s ballot in all:") % {"counter": 1}
    expect(results.locator("p").first).to_contain_text(ballots.split(":")[0])
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.source == "web"
    chosen = set(Vote.objects.filter(ballot=ballot).values_list("choice__text", "rank"))
    assert chosen == {("Kod škole", None), ("Klupe", None), ("Česmu", None), ("Trotoari", 2), ("Rasvjeta", 1)}

    # The same browser cannot vote again, and the results page shows the results to it.
    page.goto(path)
    expect(page.locator("form.poll-form")).to_have_count(0)
    already = gettext_in("bs", "You have already voted in this poll. Thank you!")
    expect(page.locator("main .notice")).to_have_text(already)
    page.goto(f"{path}results/")
    expect(page.locator(".poll-results table.poll-table")).to_have_count(3)  # the free-text question has no table
    assert not console, console


# --- axe-core, the CSP and the headings on every page ----------------------------------------------------------------

# (who, path, what the page must show, how many): `{bench}` and the like are ids. The content check keeps an empty
# or wrong page from passing axe.
PAGES = [
    ("anonymous", "", "ol.proposal-list > li", 3),
    ("anonymous", "about/", "main h1", 1),
    ("anonymous", "proposals/{bench}/", "#comments article.comment", 5),
    ("anonymous", "polls/", "main h1", 1),
    ("anonymous", "polls/{open_poll}/", "form.poll-form fieldset.poll-question", 4),
    ("anonymous", "polls/{closed_poll}/results/", "table.poll-table", 3),
    ("anonymous", "meetings/", "li.meeting", 2),
    ("anonymous", "meetings/{meeting}/", "main h1", 1),
    ("anonymous", "comments/proposal/{bench}/", "main .access-note", 1),
    ("anonymous", "results/", "article.result", 2),
    ("anonymous", "results/{result}/", "main h1", 1),
    ("citizen", "proposals/new/?kind=problem", "form.proposal-form", 1),
    ("member", "proposals/{bench}/", "form.comment-form", 1),
    ("member", "meetings/{meeting}/", "form[action$='/register/']", 1),
    ("officer", "proposals/{bench}/", ".answer-form form", 1),
]
LANGUAGES = ["bs", "sr"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("who", "path", "content", "count"), PAGES, ids=[f"{p[0]}:{p[1] or 'process'}" for p in PAGES])
def test_participation_pages_meet_wcag_aa(page, participation, log_in_as, console, who, path, content, count, language):
    if who != "anonymous":
        log_in_as(page.context, getattr(participation, who))
    ids = {
        "bench": participation.bench.pk,
        "open_poll": participation.open_poll.pk,
        "closed_poll": participation.closed_poll.pk,
        "meeting": participation.meeting.pk,
        "result": participation.result.pk,
    }
    path = PROCESS.format(language=language) + path.format(**ids)
    response = page.goto(path)
    assert response.status == 200, f"{path}: status {response.status}"
    assert page.url.endswith(path), f"{path} redirected to {page.url}"
    expect(page.locator(content)).to_have_count(count)

    problems = []
    if (lang := page.locator("html").get_attribute("lang")) != language:
        problems.append(f"html lang is {lang!r}, not {language!r}")
    if "style-src 'self'" not in response.headers.get("content-security-policy", ""):
        problems.append("no strict Content-Security-Policy header")
    if violations := axe_violations(page):
        problems.append(describe_violations(violations))
    problems += [f"skipped heading level: {skip}" for skip in skipped_heading_levels(page)]
    problems += [f"console: {message}" for message in console]
    assert not problems, f"{path}:\n" + "\n".join(problems)
