"""Participation fixtures: `make_process` builds a published process in `world.home` (Mostar) with the features
asked for and one running phase that grants the given capabilities. English messages, like the governance tests."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages in English, also where no URL names the language (the API, e-mails in the site's language)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


ALL_FEATURES = ("proposals", "comments", "supports", "polls", "meetings", "results")


@pytest.fixture
def make_process(world):
    """`make_process(features=..., capabilities={"supports.support": "registered", ...}, settings={...})`.

    Without `capabilities`, the running phase grants every action of the enabled features to its default
    audience. `settings` maps a feature to its settings. Extra keyword arguments go to `Process`."""
    from django.utils.text import slugify

    from civiclink.participation.features import registry
    from civiclink.participation.models import Phase, PhaseCapability, Process, ProcessFeature

    counter = iter(range(1, 10_000))

    def make(features=ALL_FEATURES, capabilities=None, settings=None, municipality=None, **fields):
        number = next(counter)
        fields.setdefault("title", f"Process {number}")
        fields.setdefault("slug", slugify(fields["title"]))
        fields.setdefault("published", True)
        process = Process.objects.create(municipality=municipality or world.home, **fields)
        for key in features:
            ProcessFeature.objects.create(process=process, feature=key, settings=(settings or {}).get(key, {}))
        now = timezone.now()
        phase = Phase.objects.create(
            process=process,
            name="Proposals",
            starts_at=now - datetime.timedelta(days=7),
            ends_at=now + datetime.timedelta(days=30),
        )
        if capabilities is None:
            capabilities = {
                f"{key}.{action.name}": action.default_audience for key in features for action in registry[key].actions
            }
        for name, audience in capabilities.items():
            feature, action = name.split(".")
            PhaseCapability.objects.create(phase=phase, feature=feature, action=action, audience=audience)
        return process

    return make


@pytest.fixture
def fresh(world):
    """A process re-read the way views read it (features, phases and capabilities prefetched)."""
    from civiclink.participation.views.common import processes_with_phases

    def read(process):
        return processes_with_phases().get(pk=process.pk)

    return read


@pytest.fixture
def people(role_user, make_user, world):
    """One user per role of `role_user` plus a verified resident of Mostar and a user with an unverified address."""
    from allauth.account.models import EmailAddress

    from civiclink.participation.models import Residency

    users = {role: role_user(role) for role in ("org_member", "officer", "moderator", "staff")}
    users["citizen"] = make_user("citizen@example.org")
    users["resident"] = make_user("resident@example.org")
    Residency.objects.create(user=users["resident"], municipality=world.home, method="officer")
    users["unverified"] = make_user("unverified@example.org")
    EmailAddress.objects.filter(user=users["unverified"]).update(verified=False)
    users["anonymous"] = None
    return SimpleNamespace(**users)
