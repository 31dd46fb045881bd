"""Bench fixtures: a local community in Mostar and `make_bench`, which provisions a bench through its claim code
as a real bench would. English messages, like the other apps' tests."""

import pytest
from django.utils import translation

from benches.broker import mosquitto  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def community(world):
    from civiclink.places.models import LocalCommunity

    return LocalCommunity.objects.create(municipality=world.home, name="Zahum", slug="zahum")


@pytest.fixture
def make_bench(community):
    """`make_bench(name=..., provisioned=True, **fields)` -> (bench, credential or None)."""
    from civiclink.benches import credentials
    from civiclink.benches.models import Bench, Status

    counter = iter(range(1, 10_000))

    def make(name=None, provisioned=True, **fields):
        fields.setdefault("status", Status.ACTIVE)
        bench = Bench.objects.create(
            community=fields.pop("community", community), name=name or f"Bench {next(counter)}", **fields
        )
        if not provisioned:
            return bench, None
        bench, credential = credentials.provision(credentials.issue_claim(bench))
        return bench, credential

    return make
