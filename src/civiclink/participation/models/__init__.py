"""The participation models, one module per feature; the core (processes, phases, capabilities) in `processes`."""

from civiclink.participation.models.comments import Comment, Stance
from civiclink.participation.models.meetings import Meeting, Registration
from civiclink.participation.models.notifications import Follow, Notification, NotificationSettings
from civiclink.participation.models.polls import Ballot, Choice, Poll, PollCode, Question, Source, TextAnswer, Vote
from civiclink.participation.models.processes import (
    Audience,
    Category,
    DecisionStep,
    ParticipationLevel,
    Phase,
    PhaseCapability,
    Process,
    ProcessFeature,
    Residency,
    ResidentCode,
)
from civiclink.participation.models.proposals import (
    Endorsement,
    Proposal,
    ProposalKind,
    ProposalState,
    StateChange,
    Support,
    SupportAllowance,
)
from civiclink.participation.models.results import Result, ResultStatus, ResultUpdate

__all__ = [
    "Audience",
    "Ballot",
    "Category",
    "Choice",
    "Comment",
    "DecisionStep",
    "Endorsement",
    "Follow",
    "Meeting",
    "Notification",
    "NotificationSettings",
    "ParticipationLevel",
    "Phase",
    "PhaseCapability",
    "Poll",
    "PollCode",
    "Process",
    "ProcessFeature",
    "Proposal",
    "ProposalKind",
    "ProposalState",
    "Question",
    "Registration",
    "Residency",
    "ResidentCode",
    "Result",
    "ResultStatus",
    "ResultUpdate",
    "Source",
    "Stance",
    "StateChange",
    "Support",
    "SupportAllowance",
    "TextAnswer",
    "Vote",
]
