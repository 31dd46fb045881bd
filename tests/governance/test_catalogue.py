"""The shipped benchmarks load completely in every language, copies are independent, and used ones are frozen."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civiclink.governance import catalogue
from civiclink.governance.models import Benchmark, Campaign, Indicator, Item, Phase


@pytest.mark.parametrize("files", catalogue.shipped_benchmarks(), ids=lambda files: files.key)
def test_shipped_files_are_complete_in_every_language(files):
    assert catalogue.validate(files) == []
    assert set(files.texts()) == {"en", *catalogue.TRANSLATED_LANGUAGES}


@pytest.mark.django_db
def test_both_editions_load_with_their_shape():
    loaded = dict((benchmark.key, changed) for benchmark, changed in catalogue.load_all())
    assert loaded == {"eloge-2008": True, "eloge-2023": True}
    old, new = Benchmark.objects.get(key="eloge-2008"), Benchmark.objects.get(key="eloge-2023")
    assert old.principles.count() == new.principles.count() == 12
    assert old.indicators.count() == 96
    assert new.indicators.count() == 72
    assert Indicator.objects.filter(benchmark=new, outcome__isnull=True).count() == 0
    for benchmark in (old, new):
        counts = {q.audience: q.items.count() for q in benchmark.questionnaires.all()}
        assert counts == {"citizens": 12, "councillors": 24, "staff": 24}
        citizen_principles = set(
            Item.objects.filter(questionnaire__benchmark=benchmark, questionnaire__audience="citizens").values_list(
                "principle__number", flat=True
            )
        )
        assert citizen_principles == set(range(1, 13))


@pytest.mark.django_db
def test_texts_follow_the_visitor_language_and_serbian_latin_is_transliterated():
    catalogue.load_all()
    principle = Benchmark.objects.get(key="eloge-2023").principles.get(number=1)
    with translation.override("sr"):
        cyrillic = principle.localised("name")
    with translation.override("sr-latn"):
        latin = principle.localised("name")
    with translation.override("en"):
        english = principle.localised("name")
    assert english == "Democratic participation"
    assert any("\u0400" <= letter <= "\u04ff" for letter in cyrillic)
    assert latin and not any("\u0400" <= letter <= "\u04ff" for letter in latin)


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_keeps_a_used_benchmark(world):
    catalogue.load_all()
    benchmark = Benchmark.objects.get(key="eloge-2008")
    indicator_ids = set(benchmark.indicators.values_list("pk", flat=True))
    catalogue.load_all()
    assert set(benchmark.indicators.values_list("pk", flat=True)) == indicator_ids

    from civiclink.governance.models import Cycle, Platform

    platform = Platform.objects.create(name="P", accredited_from="2022-01-01", accredited_until="2025-01-01")
    cycle = Cycle.for_platform(platform, benchmark=benchmark, name="C", year=2023)
    cycle.save()
    Campaign.objects.create(cycle=cycle, municipality=world.home, phase=Phase.ASSESSMENT)
    indicator = benchmark.indicators.first()
    Indicator.objects.filter(pk=indicator.pk).update(statement="Changed by hand")
    assert dict((b.key, changed) for b, changed in catalogue.load_all())["eloge-2008"] is False
    indicator.refresh_from_db()
    assert indicator.statement == "Changed by hand"


def test_mapping_between_editions_is_a_bijection():
    assert sorted(catalogue.MAPPING_2008_TO_2023.values()) == list(range(1, 13))
    assert catalogue.to_edition(11, 2008, 2023) == 2  # human rights
    assert catalogue.to_edition(2, 2023, 2008) == 11
    assert catalogue.to_edition(5, 2023, 2023) == 5


@pytest.mark.django_db
def test_an_adapted_copy_changes_without_touching_the_original(eloge):
    original = eloge.benchmark
    copy = catalogue.adapt_copy(original, eloge.platform, "test-2023-lda")
    assert copy.based_on == original and copy.platform == eloge.platform
    assert copy.indicators.count() == original.indicators.count()
    assert Item.objects.filter(questionnaire__benchmark=copy).count() == 36
    # The original is in use (a campaign is past registration): its wording is frozen.
    frozen = original.indicators.first()
    frozen.statement = "Reworded"
    with translation.override("en"), pytest.raises(ValidationError, match="Adapt a copy"):
        frozen.full_clean()
    # The copy is free: reword one, retire another.
    reworded = copy.indicators.get(code="1.1")
    reworded.statement = "Reworded for our platform"
    reworded.full_clean()
    reworded.save()
    copy.indicators.filter(code="1.2").update(retired=True)
    assert original.indicators.get(code="1.1").statement == "Indicator 1.1 holds."
    assert not original.indicators.filter(retired=True).exists()


@pytest.mark.django_db
def test_staff_adapt_a_copy_from_the_benchmark_page(client, eloge):
    url = f"/en/governance/benchmarks/{eloge.benchmark.key}/adapt/"
    client.force_login(eloge.officer)
    assert client.post(url, {"platform": eloge.platform.pk, "key": "copy-one"}).status_code == 403
    client.force_login(eloge.staff)
    response = client.post(url, {"platform": eloge.platform.pk, "key": eloge.benchmark.key})
    assert response.status_code == 200
    assert "exists already" in response.text
    response = client.post(url, {"platform": eloge.platform.pk, "key": "copy-one"})
    copy = Benchmark.objects.get(key="copy-one")
    assert response.status_code == 302 and str(copy.pk) in response["Location"]
