"""The proposal list of a process: filters, search, four orders and the counts shown beside the filters.

Every function here costs a fixed number of SQL queries whatever the number of proposals: the list reads its rows
with their category, community, author and organisation in one query, the counts come from one GROUP BY, and the
orders use the indexes on (process, visibility, -created_at / -support_count / -comment_count).
"""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core.i18n import search_key
from civiclink.moderation.models import Visibility
from civiclink.participation.models import Process, Proposal, Support
from civiclink.places.models import LocalCommunity

PAGE_SIZE = 20

# Random order: ORDER BY ((id * a + b) mod p * c + d) mod q, two affine maps modulo two primes. Each is one-to-one
# (for ids below p), so the result is a permutation; one map alone would leave runs of consecutive ids in their
# order whenever `a` is small. All products stay below 2^52. The seed gives a, b, c and d, so that another seed
# shuffles anew. Stable for a day and the same for every visitor, so that pages neither repeat nor skip proposals.
RANDOM_INNER_MODULUS = 1_000_003
RANDOM_MODULUS = 2_147_483_647

SORTS = {
    "newest": _("Newest"),
    "supported": _("Most supported"),
    "commented": _("Most commented"),
    "random": _("Random"),
}
DEFAULT_SORT = "newest"


def random_seed(process: Process, day=None) -> tuple[int, int, int, int]:
    """The (a, b, c, d) of the random order, from the process's own seed (a manager may reshuffle) and the date."""
    day = day or timezone.localdate()
    digest = hashlib.sha256(f"{process.seed}:{day.isoformat()}".encode()).digest()
    numbers = [int.from_bytes(digest[start : start + 8]) for start in range(0, 32, 8)]
    return (
        1 + numbers[0] % (RANDOM_INNER_MODULUS - 1),
        numbers[1] % RANDOM_INNER_MODULUS,
        1 + numbers[2] % (RANDOM_MODULUS - 1),
        numbers[3] % RANDOM_MODULUS,
    )


def listed(process: Process) -> QuerySet:
    """The proposals anyone may see in the list: hidden ones are left out."""
    return Proposal.objects.filter(process=process, visibility=Visibility.VISIBLE)


def proposal_list(
    process: Process,
    *,
    kind: str = "",
    state: str = "",
    category: int | None = None,
    community: int | None = None,
    q: str = "",
    sort: str = DEFAULT_SORT,
    day=None,
) -> QuerySet:
    """The visible proposals of `process`, filtered, searched (diacritics and script do not matter) and ordered."""
    proposals = listed(process).select_related("category", "community", "author", "organisation")
    if kind:
        proposals = proposals.filter(kind=kind)
    if state:
        proposals = proposals.filter(state=state)
    if category:
        proposals = proposals.filter(category_id=category)
    if community:
        proposals = proposals.filter(community_id=community)
    for word in search_key(q).split():
        proposals = proposals.filter(search_text__contains=word)
    return _ordered(proposals, process, sort, day)


def _ordered(proposals: QuerySet, process: Process, sort: str, day) -> QuerySet:
    if sort == "supported":
        return proposals.order_by("-support_count", "-created_at", "-pk")
    if sort == "commented":
        return proposals.order_by("-comment_count", "-created_at", "-pk")
    if sort == "random":
        a, b, c, d = random_seed(process, day)
        shuffled = ((F("pk") * a + b) % RANDOM_INNER_MODULUS * c + d) % RANDOM_MODULUS
        return proposals.alias(shuffled=shuffled).order_by("shuffled", "pk")
    return proposals.order_by("-created_at", "-pk")


@dataclass
class Facets:
    """How many visible proposals each filter value would show, for the filter labels ("Roads (12)")."""

    total: int = 0
    kind: dict[str, int] = field(default_factory=dict)
    state: dict[str, int] = field(default_factory=dict)
    category: dict[int, int] = field(default_factory=dict)
    community: dict[int, int] = field(default_factory=dict)


def facets(process: Process) -> Facets:
    """The counts per kind, state, category and community, from one GROUP BY."""
    result = Facets()
    rows = (
        listed(process).order_by().values_list("kind", "state", "category_id", "community_id").annotate(n=Count("pk"))
    )
    for kind, state, category, community, n in rows:
        result.total += n
        result.kind[kind] = result.kind.get(kind, 0) + n
        result.state[state] = result.state.get(state, 0) + n
        if category is not None:
            result.category[category] = result.category.get(category, 0) + n
        if community is not None:
            result.community[community] = result.community.get(community, 0) + n
    return result


def communities_for(process: Process) -> list[LocalCommunity]:
    """The local communities a proposal of `process` may concern: the process's own, or, when it names none, all
    of its municipality's (one query either way)."""
    chosen = Process.communities.through.objects.filter(process=process, localcommunity=OuterRef("pk"))
    rows = list(
        LocalCommunity.objects.filter(municipality_id=process.municipality_id)
        .annotate(chosen=Exists(chosen))
        .order_by("name")
    )
    return [row for row in rows if row.chosen] or rows


def supported_ids(user, proposal_ids) -> set[int]:
    """Which of the proposals (by id) the user supports (one query; none for anonymous visitors)."""
    if not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(user=user, proposal_id__in=list(proposal_ids)).values_list("proposal_id", flat=True)
    )
