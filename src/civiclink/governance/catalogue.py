"""The benchmark catalogue: loading the shipped data files, adapting a copy, and the 2008 -> 2023 mapping.

Data files are described in `data/benchmarks/FORMAT.md`. English is the source language of the files; the other
interface languages are translations (Serbian Latin is transliterated from Serbian Cyrillic).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from civiclink.governance.models import Benchmark, Indicator, Item, Outcome, Platform, Principle, Questionnaire

DATA_DIR = Path(__file__).resolve().parent / "data" / "benchmarks"
SOURCE_LANGUAGE = "en"
TRANSLATED_LANGUAGES = ("bs", "hr", "sr", "mk", "sq")

# Ours, by the principles' names (domain notes): 2008 principle number -> 2023 principle number.
MAPPING_2008_TO_2023 = {1: 1, 2: 9, 3: 7, 4: 6, 5: 3, 6: 4, 7: 8, 8: 12, 9: 11, 10: 10, 11: 2, 12: 5}


def to_edition(number: int, from_edition: int, to_edition: int) -> int:
    """The number of the same principle in another edition of the benchmark."""
    if from_edition == to_edition:
        return number
    if (from_edition, to_edition) == (2008, 2023):
        return MAPPING_2008_TO_2023[number]
    if (from_edition, to_edition) == (2023, 2008):
        return {new: old for old, new in MAPPING_2008_TO_2023.items()}[number]
    raise ValueError(f"No mapping from edition {from_edition} to {to_edition}")


class CatalogueError(ValueError):
    """A data file does not match the format."""


@dataclass
class BenchmarkFiles:
    folder: Path

    @property
    def key(self) -> str:
        return self.folder.name

    def structure(self) -> dict:
        return json.loads((self.folder / "structure.json").read_text(encoding="utf-8"))

    def texts(self) -> dict[str, dict]:
        folder = self.folder / "texts"
        return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


def shipped_benchmarks() -> list[BenchmarkFiles]:
    return [BenchmarkFiles(folder) for folder in sorted(DATA_DIR.iterdir()) if (folder / "structure.json").exists()]


def _text_keys(structure: dict) -> set[str]:
    """Every text a language file must have, as dotted keys."""
    keys = {"title", "description", "maturity_levels"}
    for principle in structure["principles"]:
        keys |= {f"principles.{principle['number']}.name", f"principles.{principle['number']}.description"}
        for outcome in principle.get("outcomes", []):
            keys.add(f"outcomes.{outcome['code']}")
        for code in _indicator_codes(principle):
            keys |= {f"indicators.{code}.statement", f"indicators.{code}.guidance", f"indicators.{code}.levels"}
    for questionnaire in structure["questionnaires"]:
        audience = questionnaire["audience"]
        keys |= {f"questionnaires.{audience}.title", f"questionnaires.{audience}.intro"}
        keys |= {f"items.{item['code']}" for item in questionnaire["items"]}
    return keys


def _flatten(texts: dict, prefix: str = "") -> dict[str, object]:
    flat = {}
    for key, value in texts.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, dotted + ".")
        else:
            flat[dotted] = value
    return flat


def _indicator_codes(principle: dict) -> list[str]:
    if "outcomes" in principle:
        return [code for outcome in principle["outcomes"] for code in outcome["indicators"]]
    return list(principle["indicators"])


def validate(files: BenchmarkFiles) -> list[str]:
    """Problems with a benchmark's files, in words; empty when they load."""
    structure, texts = files.structure(), files.texts()
    problems = []
    if SOURCE_LANGUAGE not in texts:
        return [f"{files.key}: texts/{SOURCE_LANGUAGE}.json is missing"]
    expected = _text_keys(structure)
    levels = structure["maturity"]["max"] - structure["maturity"]["min"] + 1
    for language, language_texts in texts.items():
        flat = _flatten(language_texts)
        if missing := sorted(expected - flat.keys()):
            problems.append(f"{files.key}/{language}: missing {', '.join(missing[:5])}")
        if extra := sorted(flat.keys() - expected):
            problems.append(f"{files.key}/{language}: unknown {', '.join(extra[:5])}")
        for key, value in flat.items():
            if key.endswith("levels") and (not isinstance(value, list) or len(value) != levels):
                problems.append(f"{files.key}/{language}: {key} needs {levels} entries")
            elif not value:
                problems.append(f"{files.key}/{language}: {key} is empty")
    return problems


def _fields(texts: dict[str, dict], path: tuple[str, ...], names: dict[str, str]) -> dict:
    """Model fields in the source language plus `translations` for the others, from dotted text paths.

    `names` maps a model field to the last key of its text (`{"statement": "statement"}`) or to "" when the text
    sits at `path` itself.
    """

    def lookup(language_texts: dict, name: str):
        value = language_texts
        for key in (*path, name) if name else path:
            value = value[key]
        return value

    fields = {field: lookup(texts[SOURCE_LANGUAGE], name) for field, name in names.items()}
    fields["language"] = SOURCE_LANGUAGE
    fields["translations"] = {
        language: {field: lookup(language_texts, name) for field, name in names.items()}
        for language, language_texts in texts.items()
        if language != SOURCE_LANGUAGE
    }
    return fields


@transaction.atomic
def load(files: BenchmarkFiles) -> tuple[Benchmark, bool]:
    """Create the benchmark from its files, or refresh its wording if no campaign has answered against it yet.

    Returns the benchmark and whether anything was written.
    """
    if problems := validate(files):
        raise CatalogueError("; ".join(problems))
    structure, texts = files.structure(), files.texts()
    benchmark = Benchmark.objects.filter(key=structure["key"]).first()
    if benchmark is not None and benchmark.is_in_use:
        return benchmark, False
    benchmark_fields = _fields(texts, (), {"title": "title", "description": "description"})
    benchmark_fields["maturity_levels"] = texts[SOURCE_LANGUAGE]["maturity_levels"]
    for language, values in benchmark_fields["translations"].items():
        values["maturity_levels"] = texts[language]["maturity_levels"]
    benchmark, _created = Benchmark.objects.update_or_create(
        key=structure["key"],
        defaults={
            "edition": structure["edition"],
            "maturity_min": structure["maturity"]["min"],
            "maturity_max": structure["maturity"]["max"],
            **benchmark_fields,
        },
    )
    principles = {}
    for principle_data in structure["principles"]:
        number = principle_data["number"]
        principle, _ = Principle.objects.update_or_create(
            benchmark=benchmark,
            number=number,
            defaults=_fields(texts, ("principles", str(number)), {"name": "name", "description": "description"}),
        )
        principles[number] = principle
        outcomes = principle_data.get("outcomes") or [{"code": None, "indicators": principle_data["indicators"]}]
        position = 0
        for outcome_position, outcome_data in enumerate(outcomes):
            outcome = None
            if outcome_data["code"]:
                outcome, _ = Outcome.objects.update_or_create(
                    principle=principle,
                    code=outcome_data["code"],
                    defaults={
                        "position": outcome_position,
                        **_fields(texts, ("outcomes", outcome_data["code"]), {"statement": ""}),
                    },
                )
            for code in outcome_data["indicators"]:
                position += 1
                Indicator.objects.update_or_create(
                    benchmark=benchmark,
                    code=code,
                    defaults={
                        "principle": principle,
                        "outcome": outcome,
                        "position": position,
                        **_fields(
                            texts,
                            ("indicators", code),
                            {"statement": "statement", "guidance": "guidance", "levels": "levels"},
                        ),
                    },
                )
    for questionnaire_data in structure["questionnaires"]:
        audience = questionnaire_data["audience"]
        questionnaire, _ = Questionnaire.objects.update_or_create(
            benchmark=benchmark,
            audience=audience,
            defaults=_fields(texts, ("questionnaires", audience), {"title": "title", "intro": "intro"}),
        )
        for position, item_data in enumerate(questionnaire_data["items"], start=1):
            Item.objects.update_or_create(
                questionnaire=questionnaire,
                code=item_data["code"],
                defaults={
                    "principle": principles[item_data["principle"]],
                    "position": position,
                    **_fields(texts, ("items", item_data["code"]), {"text": ""}),
                },
            )
    return benchmark, True


def load_all() -> list[tuple[Benchmark, bool]]:
    return [load(files) for files in shipped_benchmarks()]


@transaction.atomic
def adapt_copy(benchmark: Benchmark, platform: Platform, key: str) -> Benchmark:
    """A copy of `benchmark` that `platform` may reword, extend and retire items in; past results keep theirs."""
    copy = Benchmark.objects.create(
        key=key,
        edition=benchmark.edition,
        based_on=benchmark,
        platform=platform,
        title=benchmark.title,
        description=benchmark.description,
        maturity_min=benchmark.maturity_min,
        maturity_max=benchmark.maturity_max,
        maturity_levels=benchmark.maturity_levels,
        language=benchmark.language,
        translations=benchmark.translations,
    )
    principles, outcomes = {}, {}
    for principle in benchmark.principles.all():
        principles[principle.pk] = Principle.objects.create(
            benchmark=copy, **_copied(principle, "number", "name", "description")
        )
    for outcome in Outcome.objects.filter(principle__benchmark=benchmark):
        outcomes[outcome.pk] = Outcome.objects.create(
            principle=principles[outcome.principle_id], **_copied(outcome, "code", "position", "statement")
        )
    Indicator.objects.bulk_create(
        Indicator(
            benchmark=copy,
            principle=principles[indicator.principle_id],
            outcome=outcomes.get(indicator.outcome_id),
            **_copied(indicator, "code", "position", "statement", "guidance", "levels", "retired"),
        )
        for indicator in benchmark.indicators.all()
    )
    for questionnaire in benchmark.questionnaires.all():
        questionnaire_copy = Questionnaire.objects.create(
            benchmark=copy, **_copied(questionnaire, "audience", "title", "intro")
        )
        Item.objects.bulk_create(
            Item(
                questionnaire=questionnaire_copy,
                principle=principles[item.principle_id],
                **_copied(item, "code", "position", "text", "retired"),
            )
            for item in questionnaire.items.all()
        )
    return copy


def _copied(obj, *names: str) -> dict:
    return {name: getattr(obj, name) for name in (*names, "language", "translations")}
