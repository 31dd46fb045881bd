"""The participation fixtures (processes in Mostar, one user per role), for moderating their contributions."""

from participation.conftest import _english, fresh, make_process, people  # noqa: F401  (fixtures)
