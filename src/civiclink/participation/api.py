"""The participation API: processes, proposals, polls and results."""

from ninja import Router

router = Router(tags=["participation"])
