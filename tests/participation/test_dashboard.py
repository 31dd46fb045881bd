"""The process dashboard: officers create and run their own municipality's processes (features and settings,
phases and who may do what, categories, publication) without staff help; staff run them all; nobody else can;
refusals say why and the forms keep what was typed."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import resolve, reverse
from django.utils import timezone

from civiclink.moderation.models import Report
from civiclink.participation import access, processes
from civiclink.participation.models import Category, Phase, PhaseCapability, Process, Proposal, ProposalState
from civiclink.participation.processes import ProcessError

pytestmark = pytest.mark.django_db


def url(name, process=None, *args):
    return reverse(f"participation:{name}", args=[process.slug, *args] if process else list(args))


def text(response) -> str:
    return response.content.decode()


def local(moment: datetime.datetime) -> str:
    """How <input type="datetime-local"> sends a moment."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def officer_client(client, people):
    client.force_login(people.officer)
    return client


@pytest.fixture
def draft(make_process):
    return make_process(title="Parks for children", published=False)


# --- Creating a process -------------------------------------------------------------------------------------------


def test_new_process_is_at_its_own_address():
    assert resolve("/en/participation/new/").url_name == "process_new"


def test_an_officer_creates_a_draft_for_their_municipality(officer_client, people, world):
    page = officer_client.get(url("process_new"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["municipality"].queryset) == [world.home]

    response = officer_client.post(
        url("process_new"),
        {
            "municipality": world.home.pk,
            "title": "Parks for children",
            "summary": "Where should the new playgrounds go?",
            "level": "consultation",
            "decision_step": "agenda",
            "language": "bs",
        },
    )
    process = Process.objects.get()
    assert response.status_code == 303
    assert response["Location"] == url("process_features", process)
    assert (process.slug, process.municipality, process.created_by) == (
        "parks-for-children",
        world.home,
        people.officer,
    )
    assert not process.published


def test_an_officer_cannot_create_a_process_for_another_municipality(officer_client, people, world):
    page = officer_client.post(
        url("process_new"), {"municipality": world.away.pk, "title": "Rivers", "level": "consultation"}
    )
    assert page.status_code == 200
    assert "Select a valid choice" in text(page)
    assert 'value="Rivers"' in text(page)  # what was typed stays
    with pytest.raises(ProcessError, match="only for a municipality you work for"):
        processes.create_process(world.away, "Rivers", by=people.officer)
    assert not Process.objects.exists()


def test_slugs_are_unique_and_never_a_path_of_the_module(people, world):
    first = processes.create_process(world.home, "Parks", by=people.officer)
    second = processes.create_process(world.home, "Parks", by=people.officer)
    new = processes.create_process(world.home, "New", by=people.officer)
    assert (first.slug, second.slug) == ("parks", "parks-2")
    assert new.slug == "mostar-new"


def test_a_blank_title_or_a_community_of_another_municipality_is_refused(people, world):
    from civiclink.places.models import LocalCommunity

    elsewhere = LocalCommunity.objects.create(municipality=world.away, name="Gornje Polje", slug="gornje-polje")
    with pytest.raises(ProcessError, match="Give the process a title"):
        processes.create_process(world.home, "   ", by=people.officer)
    with pytest.raises(ProcessError, match="Choose local communities of Mostar") as refused:
        processes.create_process(world.home, "Parks", by=people.officer, communities=[elsewhere])
    assert refused.value.field == "communities"
    assert not Process.objects.exists()


def test_staff_create_processes_anywhere(client, people, world):
    client.force_login(people.staff)
    page = client.get(url("process_new"))
    assert set(page.context["form"].fields["municipality"].queryset) == {world.home, world.away}


@pytest.mark.parametrize("role", ["citizen", "resident", "org_member", "moderator"])
def test_other_people_may_not_create_processes(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(url("process_new")).status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(url("process_new"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Who manages what --------------------------------------------------------------------------------------------


MANAGEMENT_PAGES = ["dashboard", "process_edit", "process_features", "process_phases", "process_categories"]


@pytest.mark.parametrize("page", MANAGEMENT_PAGES)
def test_a_citizen_gets_403_on_every_management_page(client, people, make_process, page):
    process = make_process()
    client.force_login(people.citizen)
    assert client.get(url(page, process)).status_code == 403
    assert client.post(url("process_publish", process), {"published": "0"}).status_code == 403
    assert Process.objects.get().published


@pytest.mark.parametrize("page", MANAGEMENT_PAGES)
def test_staff_manage_every_process_and_officers_only_their_own(client, people, make_process, world, page):
    process = make_process(municipality=world.away)
    client.force_login(people.officer)
    assert client.get(url(page, process)).status_code == 403
    client.force_login(people.staff)
    assert client.get(url(page, process)).status_code == 200


def test_drafts_are_invisible_to_the_public(client, people, draft):
    assert client.get(url("process", draft)).status_code == 404
    assert client.get(url("dashboard", draft)).status_code == 404
    client.force_login(people.citizen)
    assert client.get(url("process", draft)).status_code == 404
    assert client.get(url("dashboard", draft)).status_code == 404
    client.force_login(people.officer)
    assert client.get(url("process", draft)).status_code == 200
    assert "This process is a draft" in text(client.get(url("dashboard", draft)))


def test_publishing_needs_a_phase_and_can_be_undone(officer_client, people, world):
    process = processes.create_process(world.home, "Budget 2026", by=people.officer)
    response = officer_client.post(url("process_publish", process), {"published": "1"}, follow=True)
    assert "Add at least one phase before publishing" in text(response)
    assert not Process.objects.get().published

    processes.add_phase(
        process, name="Proposals", starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(days=9)
    )
    assert officer_client.post(url("process_publish", process), {"published": "1"}).status_code == 303
    assert Process.objects.get().published
    officer_client.post(url("process_publish", process), {"published": "0"})
    assert not Process.objects.get().published


def test_editing_keeps_what_was_typed_when_refused(officer_client, draft):
    response = officer_client.post(
        url("process_edit", draft), {"title": "", "summary": "A new summary", "level": "dialogue"}
    )
    assert response.status_code == 200
    assert "This field is required" in text(response)
    assert 'value="A new summary"' in text(response)
    assert Process.objects.get().title == "Parks for children"

    response = officer_client.post(
        url("process_edit", draft),
        {"title": "Parks and playgrounds", "level": "dialogue", "decision_step": "drafting", "language": "bs"},
    )
    assert response.status_code == 303
    saved = Process.objects.get()
    assert (saved.title, saved.level, saved.slug) == ("Parks and playgrounds", "dialogue", "parks-for-children")


def test_oversized_text_and_files_that_are_no_images_are_refused(officer_client, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"title": "Parks", "level": "consultation", "decision_step": "agenda", "language": "bs"}
    too_long = officer_client.post(url("process_edit", draft), {**data, "description": "x" * 20_001})
    assert "Ensure this value has at most 20000 characters (it has 20001)." in text(too_long)
    not_an_image = SimpleUploadedFile("plan.png", b"%PDF-1.4 not a picture", content_type="image/png")
    refused = officer_client.post(url("process_edit", draft), {**data, "image": not_an_image})
    assert "Upload a valid image." in text(refused)
    assert Process.objects.get().title == "Parks for children"


# --- Features and settings ----------------------------------------------------------------------------------------


def test_features_and_their_settings_are_generated_from_the_registry(officer_client, draft):
    page = text(officer_client.get(url("process_features", draft)))
    for name in ("proposals", "comments", "supports", "polls", "meetings", "results"):
        assert f'name="{name}"' in page
    assert 'name="supports__limit"' in page and 'name="supports__threshold"' in page
    assert "<legend>Supports</legend>" in page


def test_an_officer_chooses_features_and_settings(officer_client, draft, fresh):
    response = officer_client.post(
        url("process_features", draft),
        {"proposals": "on", "supports": "on", "supports__limit": "3", "supports__threshold": "", "comments": "on"},
    )
    assert response.status_code == 303
    process = fresh(draft)
    assert [feature.key for feature in processes.enabled_features(process)] == ["proposals", "comments", "supports"]
    assert access.feature_settings(process, "supports") == {"limit": 3, "threshold": None}


@pytest.mark.parametrize(
    "posted, field, message",
    [
        ({"supports__limit": "0"}, "supports__limit", "Enter a whole number of at least 1, or leave it empty."),
        ({"supports__threshold": "many"}, "supports__threshold", "Enter a whole number."),
        ({"proposals": ""}, "supports", "Supports need Problems and proposals: switch that on too."),
    ],
)
def test_invalid_settings_are_refused_with_a_message_and_nothing_saved(
    officer_client, draft, fresh, posted, field, message
):
    data = {"proposals": "on", "supports": "on", "supports__limit": "5", **posted}
    response = officer_client.post(url("process_features", draft), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert re.search(r'<input[^>]*name="supports"[^>]*checked', text(response))  # what was ticked stays ticked
    assert set(draft.features.values_list("feature", flat=True)) == set(processes.registry.features)


def test_switching_a_feature_off_closes_its_actions_in_every_phase(draft):
    processes.set_features(draft, {"comments": {}, "proposals": {}})
    assert set(PhaseCapability.objects.values_list("feature", flat=True)) == {"comments", "proposals"}


def test_unknown_features_and_settings_are_refused(draft):
    with pytest.raises(ProcessError, match="no feature “petitions”"):
        processes.set_features(draft, {"petitions": {}})
    with pytest.raises(ProcessError, match="no setting “quorum”") as refused:
        processes.set_features(draft, {"proposals": {}, "supports": {"quorum": 5}})
    assert refused.value.field == "supports"


# --- Phases and capabilities ------------------------------------------------------------------------------------


def phase_data(name, starts, ends):
    return {"name": name, "description": "", "starts_at": local(starts), "ends_at": local(ends)}


def test_an_officer_adds_phases_that_do_not_overlap(officer_client, draft):
    running = draft.phases.get()
    after = running.ends_at + datetime.timedelta(days=1)
    response = officer_client.post(
        url("process_phases", draft), phase_data("Voting", after, after + datetime.timedelta(days=14))
    )
    assert response.status_code == 303
    assert list(draft.phases.values_list("name", flat=True)) == ["Proposals", "Voting"]

    overlapping = officer_client.post(
        url("process_phases", draft),
        phase_data("Evaluation", running.ends_at - datetime.timedelta(days=2), after + datetime.timedelta(days=2)),
    )
    assert overlapping.status_code == 200
    assert "These dates overlap the phase “Proposals”" in text(overlapping)
    assert 'value="Evaluation"' in text(overlapping)
    assert draft.phases.count() == 2


def test_a_phase_must_end_after_it_starts(officer_client, draft):
    start = timezone.now() + datetime.timedelta(days=60)
    response = officer_client.post(url("process_phases", draft), phase_data("Backwards", start, start))
    assert response.context["add_form"].errors["ends_at"] == ["A phase must end after it starts."]
    assert draft.phases.count() == 1


def test_an_officer_edits_and_deletes_a_phase(officer_client, draft):
    phase = draft.phases.get()
    later = phase.ends_at + datetime.timedelta(days=40)
    response = officer_client.post(
        url("phase_edit", draft, phase.pk), phase_data("Proposals and ideas", phase.starts_at, later)
    )
    assert response.status_code == 303
    phase.refresh_from_db()
    assert (phase.name, phase.ends_at.date()) == ("Proposals and ideas", later.date())

    officer_client.post(url("phase_delete", draft, phase.pk))
    assert not Phase.objects.exists() and not PhaseCapability.objects.exists()


def test_a_phase_of_another_process_is_not_found(officer_client, draft, make_process):
    other = make_process(title="Other")
    assert officer_client.get(url("phase_edit", draft, other.phases.get().pk)).status_code == 404


def test_the_capability_grid_offers_only_the_features_in_use(officer_client, make_process, fresh, people):
    process = make_process(features=("proposals", "comments"), capabilities={})
    phase = process.phases.get()
    page = text(officer_client.get(url("process_phases", process)))
    assert f'name="phase-{phase.pk}-comments__comment"' in page
    assert f'name="phase-{phase.pk}-proposals__submit"' in page
    assert "polls__vote" not in page

    prefix = f"phase-{phase.pk}-"
    response = officer_client.post(
        url("phase_capabilities", process, phase.pk),
        {f"{prefix}comments__comment": "verified", f"{prefix}proposals__submit": "", f"{prefix}polls__vote": "anyone"},
    )
    assert response.status_code == 303
    assert list(phase.capabilities.values_list("feature", "action", "audience")) == [
        ("comments", "comment", "verified")
    ]
    assert access.check(people.citizen, fresh(process), "comments", "comment").allowed
    assert not access.check(people.citizen, fresh(process), "proposals", "submit").allowed
    with pytest.raises(ProcessError, match="switch it on first"):
        processes.set_capabilities(phase, {"polls.vote": "anyone"})


def test_a_tampered_audience_is_refused_and_the_grid_kept(officer_client, make_process):
    process = make_process(features=("comments",), capabilities={"comments.comment": "registered"})
    phase = process.phases.get()
    response = officer_client.post(
        url("phase_capabilities", process, phase.pk), {f"phase-{phase.pk}-comments__comment": "everyone"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert phase.capabilities.get().audience == "registered"


# --- Categories ---------------------------------------------------------------------------------------------------


def test_an_officer_manages_categories(officer_client, draft):
    assert officer_client.post(url("process_categories", draft), {"new-name": "Parks", "new-position": "1"}).status_code
    category = Category.objects.get()
    duplicate = officer_client.post(url("process_categories", draft), {"new-name": "parks", "new-position": "2"})
    assert "This process has a category with this name already." in text(duplicate)
    assert 'value="parks"' in text(duplicate)

    prefix = f"category-{category.pk}-"
    officer_client.post(url("category_edit", draft, category.pk), {f"{prefix}name": "Green", f"{prefix}position": "3"})
    category.refresh_from_db()
    assert (category.name, category.position) == ("Green", 3)
    proposal = Proposal.objects.create(process=draft, title="Benches", body="More benches.", category=category)
    officer_client.post(url("category_delete", draft, category.pk))
    proposal.refresh_from_db()
    assert not Category.objects.exists() and proposal.category is None


# --- The overview ---------------------------------------------------------------------------------------------


def test_the_overview_counts_what_needs_attention(officer_client, make_process, people):
    process = make_process()
    waiting = [
        Proposal.objects.create(process=process, title=f"Idea {n}", body="Body.", author=people.citizen)
        for n in range(3)
    ]
    Proposal.objects.create(
        process=process, title="Done", body="B.", state=ProposalState.DONE, answer="Built.", answered_at=timezone.now()
    )
    Report.objects.create(
        content_type=ContentType.objects.get_for_model(Proposal),
        object_id=waiting[0].pk,
        reporter_key="user:1",
        reason="spam",
    )
    page = officer_client.get(url("dashboard", process))
    overview = page.context["overview"]
    assert dict(overview["states"])["Submitted"] == 3 and dict(overview["states"])["Done"] == 1
    assert (overview["awaiting_count"], overview["reports"]) == (3, 1)
    assert [proposal.title for proposal in overview["awaiting"]] == ["Idea 0", "Idea 1", "Idea 2"]
    content = text(page)
    assert "3 proposals await an answer" in content
    assert f'href="{waiting[0].get_absolute_url()}"' in content
    for feature_page in ("polls", "meetings", "results"):
        assert f'href="{url(feature_page, process)}"' in content


def test_the_dashboard_costs_the_same_queries_for_any_number_of_proposals(
    officer_client, make_process, people, django_assert_num_queries
):
    """Session, user, roles (2), process with features, phases, capabilities (4), what the officer may do (4), the
    overview (4: states, awaiting, reports, other counts) and the footer."""
    process = make_process()
    officer_client.get(url("dashboard", process))  # content types settle in their cache
    for count in (0, 30):
        for n in range(count):
            Proposal.objects.create(process=process, title=f"Idea {n}", body="Body.", author=people.citizen)
        with django_assert_num_queries(17):
            assert officer_client.get(url("dashboard", process)).status_code == 200


def test_anonymous_visitors_get_a_403_with_a_login_link(client, make_process):
    process = make_process()
    page = client.get(url("dashboard", process))
    assert page.status_code == 403 and "/accounts/login/" in text(page)


def test_the_index_offers_officers_a_new_process_and_their_drafts(client, make_process, people, world):
    make_process(title="Budget 2027", published=False)
    make_process(title="Trebinje draft", published=False, municipality=world.away)
    client.force_login(people.officer)
    page = client.get(reverse("participation:index")).content.decode()
    assert reverse("participation:process_new") in page
    assert "Budget 2027" in page and "Trebinje draft" not in page
    client.force_login(people.citizen)
    page = client.get(reverse("participation:index")).content.decode()
    assert reverse("participation:process_new") not in page and "Budget 2027" not in page
