"""A small ELoGE benchmark built in code, for the governance tests and the browser tests alike (fast to create)."""

from civiclink.governance.models import Audience, Benchmark, Indicator, Item, Principle, Questionnaire


def make_small_benchmark():
    """12 principles, two indicators each, one item per principle in every questionnaire (CIT-01.., COU-.., STA-..)."""
    benchmark = Benchmark.objects.create(
        key="test-2023",
        edition=2023,
        title="Test benchmark",
        maturity_min=0,
        maturity_max=4,
        maturity_levels=["Not in place", "Initial", "Developing", "Established", "Advanced"],
        translations={"bs": {"title": "Testni benchmark"}},
    )
    questionnaires = {
        audience: Questionnaire.objects.create(benchmark=benchmark, audience=audience, title=f"{audience} survey")
        for audience in Audience.values
    }
    for number in range(1, 13):
        principle = Principle.objects.create(
            benchmark=benchmark,
            number=number,
            name=f"Principle {number}",
            translations={"bs": {"name": f"Princip {number}"}},
        )
        for position in (1, 2):
            Indicator.objects.create(
                benchmark=benchmark,
                principle=principle,
                code=f"{number}.{position}",
                position=position,
                statement=f"Indicator {number}.{position} holds.",
                guidance="Attach the decision.",
                levels=[f"Level {level}" for level in range(5)],
            )
        for audience, questionnaire in questionnaires.items():
            Item.objects.create(
                questionnaire=questionnaire,
                principle=principle,
                code=f"{audience[:3].upper()}-{number:02}",
                position=number,
                text=f"{audience} statement about principle {number}.",
            )
    return benchmark
