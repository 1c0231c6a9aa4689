"""Assign finalists to pitch slots: inside availability, one track per session, least inconvenience.

A pure module: plain dataclasses in, plain dataclasses out, no Flask and no database.

The objective is lexicographic. First, the least total inconvenience (minutes outside 09:00-19:00
in each applicant's zone, plus a cost for a pitch in a session devoted to another track): an
assignment problem, solved exactly as a min-cost flow (OR-Tools), so its optimum is proven.
Second, among the schedules of that cost, fewer tracks mixed into sessions left open to every
track, so the districts interested in a track can attend one session: the flow is solved again
with a tie-break towards each open session's main track, which cannot change the first
objective. Everything is deterministic: the same input always gives the same schedule. When no complete schedule exists it still places as many finalists as possible
and says, for each one left out, why: no slot inside their availability, or a group of
finalists competing for fewer slots than they are (found by a maximum matching).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ortools.graph.python import min_cost_flow

#: local hours that cost nothing: a pitch inside 09:00-19:00 in the applicant's own zone
COMFORT_START_MINUTE = 9 * 60
COMFORT_END_MINUTE = 19 * 60
#: cost of a pitch in a session devoted to another track (minutes-equivalent)
TRACK_MISMATCH_COST = 90
#: re-solves that regroup tracks in open sessions, at most
MAX_COHERENCE_ROUNDS = 6


@dataclass(frozen=True)
class SlotIn:
    """A pitch slot that can hold one finalist."""

    id: int
    starts_at: datetime
    ends_at: datetime
    session_id: int = 0
    track_id: int | None = None  # the session's track, if it is devoted to one
    pinned_application: int | None = None  # pinned to this finalist (or kept empty if pinned)
    pinned: bool = False


@dataclass(frozen=True)
class ApplicantIn:
    """A finalist: their availability as UTC intervals, their zone and track."""

    id: int
    name: str
    zone: str
    windows: tuple[tuple[datetime, datetime], ...]
    track_id: int | None = None


@dataclass(frozen=True)
class Unplaced:
    application_id: int
    name: str
    #: ``no_availability`` | ``outside_availability`` | ``competition``
    reason: str
    #: the slots this finalist could take, and who else competes for them
    feasible_slots: tuple[int, ...] = ()
    competitors: tuple[str, ...] = ()


@dataclass
class Result:
    #: ``optimal`` | ``feasible`` | ``partial`` (some finalists unplaced) | ``empty``
    status: str
    assignment: dict[int, int] = field(default_factory=dict)  # application id -> slot id
    objective: int = 0
    bound: int = 0
    inconvenience: dict[int, int] = field(default_factory=dict)  # application -> minutes
    unplaced: list[Unplaced] = field(default_factory=list)
    wall_seconds: float = 0.0
    #: in sessions open to every track, the tracks beyond the first (0: one track each)
    mixed_tracks: int = 0

    @property
    def complete(self) -> bool:
        return not self.unplaced

    @property
    def gap(self) -> float:
        """The relative gap between the schedule found and the proven bound (0 = optimal)."""
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))


@dataclass(frozen=True)
class Problem:
    """Warnings and checks need the same facts as the solver."""

    slots: Sequence[SlotIn]
    applicants: Sequence[ApplicantIn]


# --- costs and feasibility ----------------------------------------------------------------

def within(windows: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    """Whether [start, end) lies inside one of the windows."""
    return any(a <= start and end <= b for a, b in windows)


def local_minute(moment: datetime, zone: str) -> int:
    local = moment.astimezone(ZoneInfo(zone))
    return local.hour * 60 + local.minute


def inconvenience(start: datetime, end: datetime, zone: str) -> int:
    """Minutes before 09:00 or after 19:00 in the applicant's zone (after midnight counts late)."""
    tz = ZoneInfo(zone)
    local_start = start.astimezone(tz)
    local_end = end.astimezone(tz)
    day = local_start.replace(hour=0, minute=0, second=0, microsecond=0)
    comfort_start = day + timedelta(minutes=COMFORT_START_MINUTE)
    comfort_end = day + timedelta(minutes=COMFORT_END_MINUTE)
    cost = 0
    s_min = local_start.hour * 60 + local_start.minute
    if s_min < 5 * 60:
        # 00:00-05:00 is the tail of the previous evening
        prev_end = comfort_end - timedelta(days=1)
        return int((local_end - prev_end).total_seconds() // 60)
    if local_start < comfort_start:
        cost += int((comfort_start - local_start).total_seconds() // 60)
    if local_end > comfort_end:
        cost += int((local_end - comfort_end).total_seconds() // 60)
    return cost


def feasible_slots(applicant: ApplicantIn, slots: Sequence[SlotIn]) -> list[SlotIn]:
    return [s for s in slots if within(applicant.windows, s.starts_at, s.ends_at)]


# --- infeasibility analysis ----------------------------------------------------------------

def _max_matching(edges: Mapping[int, Sequence[int]]) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths, deterministic order): app -> slot."""
    slot_of: dict[int, int] = {}
    app_of: dict[int, int] = {}

    def augment(app: int, seen: set[int]) -> bool:
        for slot in edges[app]:
            if slot in seen:
                continue
            seen.add(slot)
            if slot not in app_of or augment(app_of[slot], seen):
                app_of[slot] = app
                slot_of[app] = slot
                return True
        return False

    for app in sorted(edges, key=lambda a: (len(edges[a]), a)):
        augment(app, set())
    return slot_of


def explain_unplaceable(
    applicants: Sequence[ApplicantIn], slots: Sequence[SlotIn]
) -> list[Unplaced]:
    """Who cannot be placed in any complete schedule, and why.

    Finalists with no slot inside their availability are named outright. The others are
    matched to slots; if some remain unmatched, the finalists reachable from them along
    alternating paths form a group that competes for fewer slots than its size (Hall's
    theorem): that group and its slots are what the organizer must widen.
    """
    by_id = {a.id: a for a in applicants}
    edges: dict[int, list[int]] = {}
    reasons: list[Unplaced] = []
    pinned_to = {s.pinned_application: s.id for s in slots if s.pinned and s.pinned_application}
    free_slots = [s for s in slots if not s.pinned]
    for app in applicants:
        if app.id in pinned_to:
            continue
        if not app.windows:
            reasons.append(Unplaced(app.id, app.name, "no_availability"))
            continue
        options = feasible_slots(app, free_slots)
        if not options:
            reasons.append(Unplaced(app.id, app.name, "outside_availability"))
            continue
        edges[app.id] = [s.id for s in options]
    matching = _max_matching(edges)
    unmatched = [a for a in sorted(edges) if a not in matching]
    if not unmatched:
        return reasons
    app_of = {slot: app for app, slot in matching.items()}
    for start in unmatched:
        group = {start}
        group_slots: set[int] = set()
        queue = deque([start])
        while queue:
            app = queue.popleft()
            for slot in edges[app]:
                if slot in group_slots:
                    continue
                group_slots.add(slot)
                other = app_of.get(slot)
                if other is not None and other not in group:
                    group.add(other)
                    queue.append(other)
        competitors = tuple(sorted(by_id[a].name for a in group if a != start))
        reasons.append(Unplaced(start, by_id[start].name, "competition",
                                feasible_slots=tuple(sorted(group_slots)),
                                competitors=competitors))
    return reasons


# --- the optimisation ------------------------------------------------------------------------

def solve(applicants: Sequence[ApplicantIn], slots: Sequence[SlotIn]) -> Result:
    """The schedule with the least total inconvenience that places as many finalists as can be.

    Pinned slots stay as they are; a pinned empty slot stays empty.
    """
    started = time.perf_counter()
    slots = sorted(slots, key=lambda s: (s.starts_at, s.id))
    applicants = sorted(applicants, key=lambda a: a.id)
    if not applicants:
        return Result(status="empty")
    slot_by_id = {s.id: s for s in slots}
    pinned = {s.pinned_application: s.id for s in slots if s.pinned and s.pinned_application}
    free = [s for s in slots if not s.pinned]

    # who cannot be placed in any schedule, and why (a maximum matching decides how many)
    explained = {u.application_id: u for u in explain_unplaceable(applicants, slots)}
    cost: dict[tuple[int, int], int] = {}
    must: set[int] = set()
    fixed: dict[int, int] = {}
    for app in applicants:
        if app.id in pinned:
            fixed[app.id] = pinned[app.id]
            continue
        if app.id in explained and explained[app.id].reason != "competition":
            continue
        if app.id not in explained:
            must.add(app.id)
        for slot in feasible_slots(app, free):
            c = inconvenience(slot.starts_at, slot.ends_at, app.zone)
            if slot.track_id is not None and app.track_id is not None and slot.track_id != app.track_id:
                c += TRACK_MISMATCH_COST
            cost[app.id, slot.id] = c
    placeable = len(applicants) - len(fixed) - len(explained)

    # 1. The convenience objective is a min-cost flow, solved exactly: its optimum is proven.
    flow_choice = _flow(placeable, must, cost)
    flow_cost = sum(cost[key] for key in flow_choice)
    by_app = {a.id: a for a in applicants}
    app_track = {a.id: a.track_id for a in applicants}

    # 2. Among the schedules of that optimal cost, prefer the ones that mix fewer tracks in
    # sessions open to every track: each open session gets the track most of its finalists
    # share as its preferred one, and the flow is solved again with the primary cost scaled
    # above any possible tie-break (so it stays exactly optimal) plus one unit per finalist
    # outside the preferred track. Repeated while it helps.
    choice = flow_choice
    mixed = _mixed(choice, slot_by_id, app_track)
    scale = len(applicants) + 1
    for _round in range(MAX_COHERENCE_ROUNDS):
        if mixed == 0:
            break
        preferred = _preferred_tracks(choice, slot_by_id, app_track)
        tie_cost = {
            key: cost[key] * scale + (
                1 if slot_by_id[key[1]].track_id is None and app_track[key[0]] is not None
                and preferred.get(slot_by_id[key[1]].session_id, app_track[key[0]]) != app_track[key[0]]
                else 0)
            for key in cost}
        candidate = _flow(placeable, must, tie_cost)
        candidate_mixed = _mixed(candidate, slot_by_id, app_track)
        if candidate_mixed >= mixed or sum(cost[k] for k in candidate) != flow_cost:
            break
        choice, mixed = candidate, candidate_mixed

    assignment = dict(fixed)
    for app_id, slot_id in choice:
        assignment[app_id] = slot_id
    result = Result(status="optimal", assignment=dict(sorted(assignment.items())),
                    wall_seconds=time.perf_counter() - started, mixed_tracks=mixed)
    result.objective = sum(cost[key] for key in choice)
    result.bound = flow_cost
    for app_id, slot_id in result.assignment.items():
        slot = slot_by_id[slot_id]
        result.inconvenience[app_id] = inconvenience(slot.starts_at, slot.ends_at, by_app[app_id].zone)
    unplaced_ids = [a.id for a in applicants if a.id not in assignment]
    if unplaced_ids:
        result.status = "partial"
        for app_id in unplaced_ids:
            result.unplaced.append(explained[app_id])
    return result


def _preferred_tracks(choice: Iterable[tuple[int, int]], slot_by_id: Mapping[int, SlotIn],
                      app_track: Mapping[int, int | None]) -> dict[int, int]:
    """For each open session, the track most of its finalists share (ties: the lowest id)."""
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for app_id, slot_id in choice:
        slot = slot_by_id[slot_id]
        track = app_track[app_id]
        if slot.track_id is None and track is not None:
            counts[slot.session_id][track] += 1
    return {session: min(tracks, key=lambda t: (-tracks[t], t)) for session, tracks in counts.items()}


def _mixed(choice: Iterable[tuple[int, int]], slot_by_id: Mapping[int, SlotIn],
           app_track: Mapping[int, int | None]) -> int:
    """Tracks beyond the first in each session open to every track."""
    tracks: dict[int, set[int]] = defaultdict(set)
    for app_id, slot_id in choice:
        slot = slot_by_id[slot_id]
        if slot.track_id is None and app_track[app_id] is not None:
            tracks[slot.session_id].add(app_track[app_id])  # type: ignore[arg-type]
    return sum(max(0, len(t) - 1) for t in tracks.values())


def _flow(placeable: int, must: set[int], cost: Mapping[tuple[int, int], int]) -> set[tuple[int, int]]:
    """The cheapest assignment placing ``placeable`` finalists, every one in ``must`` among them.

    Source -> finalist -> slot -> sink, unit capacities; a finalist who must be placed gets a
    bonus on their source arc larger than any schedule's cost, so the flow leaves out only
    finalists of a competing group (the matching proved some of them cannot all fit).
    """
    if not cost or placeable == 0:
        return set()
    apps = sorted({a for a, _s in cost})
    slots_ = sorted({s for _a, s in cost})
    app_node = {a: i + 2 for i, a in enumerate(apps)}
    slot_node = {s: i + 2 + len(apps) for i, s in enumerate(slots_)}
    source, sink = 0, 1
    bonus = 0
    if len(must) < len(apps):
        worst: dict[int, int] = defaultdict(int)
        for (a, _s), c in cost.items():
            worst[a] = max(worst[a], c)
        bonus = sum(worst.values()) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    for a in apps:
        flow.add_arc_with_capacity_and_unit_cost(source, app_node[a], 1, -bonus if a in must else 0)
    arcs = {key: flow.add_arc_with_capacity_and_unit_cost(app_node[key[0]], slot_node[key[1]], 1, cost[key])
            for key in sorted(cost)}
    for s in slots_:
        flow.add_arc_with_capacity_and_unit_cost(slot_node[s], sink, 1, 0)
    flow.set_node_supply(source, placeable)
    flow.set_node_supply(sink, -placeable)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the assignment flow has no solution; the matching said it had")
    return {key for key, arc in arcs.items() if flow.flow(arc) > 0}


# --- checks for hand edits ------------------------------------------------------------------

@dataclass(frozen=True)
class Warning:
    #: ``outside_availability`` | ``double_booked`` | ``no_availability``
    kind: str
    application_id: int
    slot_ids: tuple[int, ...]


def check(assignment: Iterable[tuple[int, int]], applicants: Sequence[ApplicantIn],
          slots: Sequence[SlotIn]) -> list[Warning]:
    """Warnings for a schedule edited by hand: (application, slot) pairs as they stand now."""
    by_app = {a.id: a for a in applicants}
    by_slot = {s.id: s for s in slots}
    slots_of: dict[int, list[int]] = defaultdict(list)
    for app_id, slot_id in assignment:
        slots_of[app_id].append(slot_id)
    warnings: list[Warning] = []
    for app_id, slot_ids in sorted(slots_of.items()):
        if len(slot_ids) > 1:
            warnings.append(Warning("double_booked", app_id, tuple(sorted(slot_ids))))
        app = by_app.get(app_id)
        if app is None:
            continue
        for slot_id in sorted(slot_ids):
            slot = by_slot[slot_id]
            if not app.windows:
                warnings.append(Warning("no_availability", app_id, (slot_id,)))
            elif not within(app.windows, slot.starts_at, slot.ends_at):
                warnings.append(Warning("outside_availability", app_id, (slot_id,)))
    return warnings
