"""Demo data of participatory processes (being written)."""


def load() -> str:
    return "participation: none yet"
