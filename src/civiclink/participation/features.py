"""The registry of participation features. Each feature declares the actions a phase can open (with the audience
proposed by default) and its settings; the rest of the code asks `access.check`, never a feature's name.

A process switches features on (`ProcessFeature`); a phase grants actions to an audience (`PhaseCapability`).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civiclink.participation.models import Audience


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # what a person does, e.g. "support a proposal", completing "Log in to ..." (context "action")
    default_audience: str = Audience.REGISTERED


@dataclass(frozen=True)
class Setting:
    name: str
    label: str
    kind: type = int  # int or bool
    default: int | bool | None = None
    minimum: int = 0

    def clean(self, value):
        """The setting's value from a form or JSON, or ValueError."""
        if value in (None, ""):
            return self.default
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            if str(value).lower() in {"1", "true", "on", "yes"}:
                return True
            if str(value).lower() in {"0", "false", "off", "no"}:
                return False
            raise ValueError(value)
        number = int(value)
        if number < self.minimum:
            raise ValueError(value)
        return number


@dataclass(frozen=True)
class Feature:
    key: str
    name: str
    description: str
    actions: tuple[Action, ...] = ()
    settings: tuple[Setting, ...] = ()
    requires: tuple[str, ...] = ()  # features that must be switched on with this one
    page: str = ""  # the URL name of the feature's tab on the process page, if it has one
    tab: str = ""  # the tab's label

    def action(self, name: str) -> Action:
        for action in self.actions:
            if action.name == name:
                return action
        raise KeyError(f"{self.key} has no action {name!r}")

    def setting(self, name: str) -> Setting:
        for setting in self.settings:
            if setting.name == name:
                return setting
        raise KeyError(f"{self.key} has no setting {name!r}")

    def clean_settings(self, values: dict) -> dict:
        return {setting.name: setting.clean(values.get(setting.name)) for setting in self.settings}


@dataclass
class Registry:
    features: dict[str, Feature] = field(default_factory=dict)

    def register(self, feature: Feature) -> Feature:
        if feature.key in self.features:
            raise ValueError(f"feature {feature.key!r} is registered twice")
        self.features[feature.key] = feature
        return feature

    def __getitem__(self, key: str) -> Feature:
        return self.features[key]

    def __contains__(self, key: str) -> bool:
        return key in self.features

    def __iter__(self):
        return iter(self.features.values())

    def choices(self) -> list[tuple[str, str]]:
        return [(feature.key, feature.name) for feature in self]

    def action_choices(self) -> list[tuple[str, str]]:
        """("feature.action", label) for every action of every feature."""
        return [(f"{feature.key}.{action.name}", action.label) for feature in self for action in feature.actions]


registry = Registry()

PROPOSALS = registry.register(
    Feature(
        key="proposals",
        name=_("Problems and proposals"),
        description=_("Citizens and CSOs report local problems and propose solutions; the municipality answers."),
        actions=(
            Action("submit", pgettext_lazy("action", "report a problem or make a proposal")),
            Action(
                "endorse",
                pgettext_lazy("action", "endorse a proposal on behalf of your organisation"),
                Audience.CSO_MEMBER,
            ),
        ),
        page="participation:process",
        tab=_("Proposals"),
    )
)
COMMENTS = registry.register(
    Feature(
        key="comments",
        name=_("Comments"),
        description=_("Discussion under proposals, meetings and results, with replies and stances."),
        actions=(Action("comment", pgettext_lazy("action", "comment")),),
    )
)
SUPPORTS = registry.register(
    Feature(
        key="supports",
        name=_("Supports"),
        description=_("People support the proposals they want; enough supports send a proposal to evaluation."),
        actions=(Action("support", pgettext_lazy("action", "support a proposal")),),
        settings=(
            Setting("limit", _("Most supports per person in this process (empty: no limit)"), minimum=1),
            Setting("threshold", _("Supports that send a proposal to evaluation (empty: never automatic)"), minimum=1),
        ),
        requires=("proposals",),
    )
)
POLLS = registry.register(
    Feature(
        key="polls",
        name=_("Polls and surveys"),
        description=_("Questions with choices, rankings or free answers, on the web, on paper and on smart benches."),
        actions=(Action("vote", pgettext_lazy("action", "vote in a poll"), Audience.ANYONE),),
        page="participation:polls",
        tab=_("Polls"),
    )
)
MEETINGS = registry.register(
    Feature(
        key="meetings",
        name=_("Meetings"),
        description=_("Public meetings in a room or online, with registration, agenda and minutes."),
        actions=(Action("attend", pgettext_lazy("action", "register for a meeting")),),
        page="participation:meetings",
        tab=_("Meetings"),
    )
)
RESULTS = registry.register(
    Feature(
        key="results",
        name=_("Results"),
        description=_("What the municipality promised and how far it got, with dated progress updates."),
        page="participation:results",
        tab=_("Results"),
    )
)
