"""Municipal officers set up their own processes: the process itself, the features it uses with their settings,
dated phases and what each phase opens to whom, categories, and publication.

Every change runs in one transaction and is refused whole with a `ProcessError` that says why. What a feature
offers (actions, settings, features it needs) is asked of the registry, never of the feature's name.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from civiclink.accounts.rules import is_staff_member
from civiclink.core.errors import UserError
from civiclink.core.i18n import search_key
from civiclink.core.pagecache import expire_pages
from civiclink.moderation.models import Report, Visibility
from civiclink.participation import notify
from civiclink.participation.features import Action, Feature, Setting, registry
from civiclink.participation.models import (
    Audience,
    Category,
    Comment,
    Meeting,
    Notification,
    Phase,
    PhaseCapability,
    Poll,
    Process,
    ProcessFeature,
    Proposal,
    ProposalState,
    Result,
)
from civiclink.places.models import Municipality
from civiclink.places.registration import unique_slug
from civiclink.places.rules import is_municipal_officer, officer_municipality_ids

PROCESS_FIELDS = (
    "title",
    "summary",
    "description",
    "image",
    "image_alt",
    "level",
    "decision_step",
    "for_network",
    "language",
)
# Paths under /participation/ that are not processes: a process may not take them as its slug.
RESERVED_SLUGS = {"new", "residency", "notifications", "follow", "unsubscribe"}

may_create_in = is_staff_member | is_municipal_officer


class ProcessError(UserError):
    """A change refused. `message` is shown to the person; `field` names the input it concerns, if one does
    ("title", "ends_at", "supports" for a feature, "supports.limit" for a setting, "polls.vote" for an action)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def municipalities_for(user):
    """Where `user` may create processes: all municipalities for staff, their own for officers."""
    if is_staff_member(user):
        return Municipality.objects.order_by("name")
    return Municipality.objects.filter(pk__in=officer_municipality_ids(user)).order_by("name")


# --- The process ------------------------------------------------------------------------------------------------


def _full_clean(instance, exclude: list[str]) -> None:
    """The model's own checks (lengths, choices, constraints) as a `ProcessError` on the first field refused."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ProcessError(messages[0], None if field == "__all__" else field) from error


def _validated(process: Process, communities) -> None:
    process.title = (process.title or "").strip()
    if not process.title:
        raise ProcessError(_("Give the process a title."), "title")
    _full_clean(process, ["slug", "created_by"])
    if any(community.municipality_id != process.municipality_id for community in communities):
        raise ProcessError(
            _("Choose local communities of %(municipality)s.") % {"municipality": process.municipality.display_name},
            "communities",
        )


def _fields(fields: dict) -> dict:
    unknown = set(fields) - set(PROCESS_FIELDS)
    if unknown:
        raise TypeError(f"not a field of a process: {', '.join(sorted(unknown))}")
    return fields


def _slug_for(process: Process) -> str:
    text = process.title if slugify(search_key(process.title)) not in {"", *RESERVED_SLUGS} else ""
    return unique_slug(Process, text or f"{process.municipality.name} {process.title}")


def create_process(municipality: Municipality, title: str, *, by, communities=(), **fields) -> Process:
    """A new, unpublished process of `municipality` with a slug of its own; `by` must work for the municipality
    (or be staff)."""
    if not may_create_in(by, municipality):
        raise ProcessError(_("You can create processes only for a municipality you work for."), "municipality")
    process = Process(municipality=municipality, title=title, created_by=by, published=False, **_fields(fields))
    communities = list(communities)
    _validated(process, communities)
    for attempt in range(3):  # two processes created at once may pick the same free slug
        process.slug = _slug_for(process)
        try:
            with transaction.atomic():
                process.save()
                process.communities.set(communities)
        except IntegrityError:
            process.pk = None
            if attempt == 2:
                raise
        else:
            break
    return process


@transaction.atomic
def update_process(process: Process, *, communities=None, **fields) -> Process:
    """Change the process's description; its municipality and slug stay (links to it must keep working)."""
    for name, value in _fields(fields).items():
        setattr(process, name, value)
    communities = list(process.communities.all() if communities is None else communities)
    _validated(process, communities)
    process.save()
    process.communities.set(communities)
    return process


@transaction.atomic
def publish(process: Process) -> None:
    """Show the process to everyone. It needs a phase first: people must see when they can take part."""
    if not process.phases.exists():
        raise ProcessError(_("Add at least one phase before publishing: people need to know when they can take part."))
    process.published = True
    process.save(update_fields=["published"])


def unpublish(process: Process) -> None:
    """Back to a draft that only its managers see; nothing that people contributed is lost."""
    process.published = False
    process.save(update_fields=["published"])


def _locked(process: Process) -> Process:
    """Lock the process's row: changes to its features and phases then happen one after another."""
    return Process.objects.select_for_update().get(pk=process.pk)


# --- Features -----------------------------------------------------------------------------------------------------


def _setting_error(setting: Setting) -> str:
    if setting.kind is bool:
        return _("Choose yes or no.")
    return _("Enter a whole number of at least %(minimum)s, or leave it empty.") % {"minimum": setting.minimum}


def _clean_settings(feature: Feature, values: dict) -> dict:
    declared = {setting.name for setting in feature.settings}
    for name in values:
        if name not in declared:
            raise ProcessError(
                _("%(feature)s have no setting “%(setting)s”.") % {"feature": feature.name, "setting": name},
                feature.key,
            )
    for setting in feature.settings:
        try:
            setting.clean(values.get(setting.name))
        except (TypeError, ValueError) as error:
            raise ProcessError(_setting_error(setting), f"{feature.key}.{setting.name}") from error
    return feature.clean_settings(values)


@transaction.atomic
def set_features(process: Process, chosen: dict[str, dict]) -> None:
    """Use exactly the features in `chosen` ({key: settings}); the phases of features switched off lose their
    capabilities with them."""
    cleaned = {}
    for key, values in chosen.items():
        if key not in registry:
            raise ProcessError(_("There is no feature “%(feature)s”.") % {"feature": key})
        cleaned[key] = _clean_settings(registry[key], values or {})
    for key in cleaned:
        missing = [registry[needed].name for needed in registry[key].requires if needed not in cleaned]
        if missing:
            raise ProcessError(
                _("%(feature)s need %(required)s: switch that on too.")
                % {"feature": registry[key].name, "required": ", ".join(str(name) for name in missing)},
                key,
            )
    _locked(process)
    process.features.exclude(feature__in=cleaned).delete()
    PhaseCapability.objects.filter(phase__process=process).exclude(feature__in=cleaned).delete()
    existing = {row.feature: row for row in ProcessFeature.objects.filter(process=process)}
    for key, settings in cleaned.items():
        row = existing.get(key) or ProcessFeature(process=process, feature=key)
        row.settings = settings
        row.save()
    # What `access` read of the process before this change is stale now.
    process.__dict__.pop("_features", None)
    getattr(process, "_prefetched_objects_cache", {}).pop("features", None)


def enabled_features(process: Process) -> list[Feature]:
    """The registry's features the process uses, in the registry's order."""
    keys = {row.feature for row in process.features.all()}
    return [feature for feature in registry if feature.key in keys]


def actions_of(process: Process) -> list[tuple[Feature, Action]]:
    """Every action a phase of this process can open: those of the features it uses."""
    return [(feature, action) for feature in enabled_features(process) for action in feature.actions]


# --- Phases -------------------------------------------------------------------------------------------------------


def _checked_phase(process: Process, phase: Phase) -> Phase:
    phase.name = (phase.name or "").strip()
    if not phase.name:
        raise ProcessError(_("Give the phase a name."), "name")
    if phase.starts_at is None:
        raise ProcessError(_("Enter when the phase starts."), "starts_at")
    if phase.ends_at is None:
        raise ProcessError(_("Enter when the phase ends."), "ends_at")
    if phase.ends_at <= phase.starts_at:
        raise ProcessError(_("A phase must end after it starts."), "ends_at")
    _locked(process)
    overlapping = (
        process.phases.exclude(pk=phase.pk).filter(starts_at__lt=phase.ends_at, ends_at__gt=phase.starts_at).first()
    )
    if overlapping:
        raise ProcessError(
            _("These dates overlap the phase “%(phase)s” (%(start)s – %(end)s); phases follow one another.")
            % {
                "phase": overlapping.name,
                "start": date_format(localtime(overlapping.starts_at), "SHORT_DATETIME_FORMAT"),
                "end": date_format(localtime(overlapping.ends_at), "SHORT_DATETIME_FORMAT"),
            },
            "starts_at",
        )
    _full_clean(phase, ["process"])
    return phase


@transaction.atomic
def add_phase(process: Process, *, name: str, starts_at, ends_at, description: str = "", by=None) -> Phase:
    """A new phase that overlaps no other; if it runs already, followers of a published process hear of it."""
    phase = Phase(process=process, name=name, starts_at=starts_at, ends_at=ends_at, description=description)
    _checked_phase(process, phase).save()
    if process.published and phase.is_running:
        announce(phase, actor=by)
    return phase


def announce(phase: Phase, *, actor=None, now=None) -> bool:
    """Tell the process's followers that `phase` has begun, once: the first caller to mark it does."""
    claimed = Phase.objects.filter(pk=phase.pk, announced_at__isnull=True).update(announced_at=now or timezone.now())
    if claimed:
        notify.event(phase.process, Notification.Event.PHASE, actor=actor, text=phase.name)
    return bool(claimed)


def announce_started_phases(now=None) -> int:
    """Announce every phase of a published process that has begun and not been announced (a periodic job, so that
    a phase starting on its date is heard of too); the number announced."""
    now = now or timezone.now()
    started = Phase.objects.filter(
        process__published=True, announced_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    ).select_related("process")
    return sum(announce(phase, now=now) for phase in started)


@transaction.atomic
def update_phase(phase: Phase, *, name: str, starts_at, ends_at, description: str = "") -> Phase:
    phase.name, phase.starts_at, phase.ends_at, phase.description = name, starts_at, ends_at, description
    _checked_phase(phase.process, phase).save()
    return phase


def delete_phase(phase: Phase) -> None:
    """Remove a phase with its capabilities; what people contributed during it stays."""
    phase.delete()


@transaction.atomic
def set_capabilities(phase: Phase, granted: dict[str, str | None]) -> None:
    """Open exactly the actions in `granted` ({"feature.action": audience}; an empty audience closes the action)
    in this phase. Only actions of features the process uses can be opened."""
    offered = {f"{feature.key}.{action.name}": action for feature, action in actions_of(phase.process)}
    rows = []
    for name, audience in granted.items():
        if not audience:
            continue
        if name not in offered:
            key = name.partition(".")[0]
            raise ProcessError(
                _("This process does not use “%(feature)s”; switch it on first.")
                % {"feature": registry[key].name if key in registry else key},
                name,
            )
        if audience not in Audience.values:
            raise ProcessError(_("Choose who may %(action)s from the list.") % {"action": offered[name].label}, name)
        feature, _dot, action = name.partition(".")
        rows.append(PhaseCapability(phase=phase, feature=feature, action=action, audience=audience))
    _locked(phase.process)
    phase.capabilities.all().delete()
    PhaseCapability.objects.bulk_create(rows)
    transaction.on_commit(expire_pages, robust=True)  # bulk_create sends no signal to the page cache


# --- Categories ---------------------------------------------------------------------------------------------------


def _saved_category(category: Category) -> Category:
    category.name = (category.name or "").strip()
    if not category.name:
        raise ProcessError(_("Give the category a name."), "name")
    _full_clean(category, ["process"])
    taken = Category.objects.filter(process_id=category.process_id, name__iexact=category.name).exclude(pk=category.pk)
    if taken.exists():
        raise ProcessError(_("This process has a category with this name already."), "name")
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError as error:  # the same name added at the same moment
        raise ProcessError(_("This process has a category with this name already."), "name") from error
    return category


def add_category(process: Process, *, name: str, position: int = 0) -> Category:
    return _saved_category(Category(process=process, name=name, position=position or 0))


def update_category(category: Category, *, name: str, position: int = 0) -> Category:
    category.name, category.position = name, position or 0
    return _saved_category(category)


def delete_category(category: Category) -> None:
    """Remove a category; its proposals stay, without a category."""
    category.delete()


# --- The dashboard's overview ---------------------------------------------------------------------------------


AWAITING_SHOWN = 20
AWAITING_STATES = (ProposalState.SUBMITTED, ProposalState.EVALUATION)  # not decided yet
COUNTED = {"polls": Poll, "meetings": Meeting, "results": Result}  # counted on the dashboard, keyed by feature


def _count_of(model) -> Subquery:
    rows = model.objects.filter(process=OuterRef("pk")).order_by().values("process").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)


def overview(process: Process) -> dict:
    """What needs the managers' attention, in four queries whatever the size of the process: visible proposals
    per state, those still awaiting an answer (the longest waiting first), reports not yet resolved, and
    `counts` of polls, meetings and results keyed by their feature."""
    visible = Proposal.objects.filter(process=process, visibility=Visibility.VISIBLE)
    awaiting = Q(answered_at__isnull=True, state__in=AWAITING_STATES)
    counts = visible.aggregate(
        awaiting=Count("pk", filter=awaiting),
        **{f"state_{state}": Count("pk", filter=Q(state=state)) for state in ProposalState.values},
    )
    reports = Report.objects.filter(resolved=False).filter(
        Q(
            content_type=ContentType.objects.get_for_model(Proposal),
            object_id__in=Proposal.objects.filter(process=process).values("pk"),
        )
        | Q(
            content_type=ContentType.objects.get_for_model(Comment),
            object_id__in=Comment.objects.filter(process=process).values("pk"),
        )
    )
    others = {f"n_{key}": _count_of(model) for key, model in COUNTED.items()}
    parts = Process.objects.filter(pk=process.pk).values(**others)
    return {
        "states": [(label, counts[f"state_{state}"]) for state, label in ProposalState.choices],
        "awaiting_count": counts["awaiting"],
        "awaiting": list(visible.filter(awaiting).order_by("created_at")[:AWAITING_SHOWN]),
        "reports": reports.count(),
        "counts": {key: count for key, count in zip(COUNTED, parts.get().values(), strict=True)},
    }
