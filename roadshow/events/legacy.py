"""Old links from before events had their own URLs (issue 13, docs/design/many-events.md §2).

One-event Roadshow addressed its pages without the event: ``/review/queue/12``,
``/signing/intents/5/sign``, ``/live/3``. Emails sent then still hold such links. The blueprint
``legacy`` answers them. Anonymous visitors are sent to sign in first, except for the links
that were public (:data:`PUBLIC_PATHS`: an event's page, its call, its calendar), so a link
shared on a poster or in a chat group still opens; nothing else leaks to them:

- a path that names an object (application, criterion, conflict, assignment, decision, pitch
  session, slot, docking request, intent, signer, or the event itself) finds the object's event
  and answers 308 (method and body kept) to the same path under ``/e/<slug>``;
- a list path (``/review/queue``, ``/signing/``, ``/organizer/applications``) goes to
  :func:`choose_event` (``/my/events?next=<path>``), which sends the person straight on when they
  hold that page in exactly one unarchived event and otherwise lists their events;
- an office's pages (``/organizer/people``, ``/districts/``, ``/events/manage``) go to the same
  page of the office the person organises, or let them choose.

The objects' tables belong to later stages; this module reads their ids by table name (a
lookup of one key, deliberately across every event: finding the event is the point).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import column, select, table
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from roadshow.access import grant_in_event, permission_of, public, requires, roles_may
from roadshow.accounts.roles import STAFF_ROLES
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.organisations.models import (
    EventRole,
    Organisation,
    OrganisationMember,
    OrganisationRole,
)
from roadshow.scoping import unscoped

bp = Blueprint("legacy", __name__)


def _keyed(name: str, *columns: str) -> Any:
    return table(name, column("id"), *(column(c) for c in columns))


_applications = _keyed("applications", "event_id", "applicant_id")
_sessions = _keyed("pitch_sessions", "event_id")
_slots = _keyed("schedule_slots", "session_id")
_intents = _keyed("signing_intents", "application_id")
_signers = _keyed("signing_signers", "intent_id")

#: objects that carry their event's id
_DIRECT = {
    "application": _applications,
    "criterion": _keyed("review_criteria", "event_id"),
    "conflict": _keyed("review_conflicts", "event_id"),
    "assignment": _keyed("review_assignments", "event_id"),
    "decision": _keyed("selection_decisions", "event_id"),
    "session": _sessions,
    "request": _keyed("live_docking_requests", "event_id"),
}


def _through_parent(kind: str, object_id: int) -> Any:
    if kind == "slot":
        return (select(_sessions.c.event_id).join(_slots, _slots.c.session_id == _sessions.c.id)
                .where(_slots.c.id == object_id))
    intents = select(_applications.c.event_id).join(_intents, _intents.c.application_id == _applications.c.id)
    if kind == "intent":
        return intents.where(_intents.c.id == object_id)
    return intents.join(_signers, _signers.c.intent_id == _intents.c.id).where(_signers.c.id == object_id)


def event_id_of(kind: str, object_id: int) -> int | None:
    """The id of the event the object ``kind`` ``object_id`` belongs to, or None."""
    if kind == "event":
        return object_id
    found = _DIRECT.get(kind)
    stmt = (select(found.c.event_id).where(found.c.id == object_id) if found is not None
            else _through_parent(kind, object_id))
    return db.session.scalar(unscoped(stmt, "an old link names an object: find its event"))


#: ``(pattern of the old path, kind of object its first group names, new path under /e/<slug>)``;
#: a new path of None keeps the old path
OBJECT_PATHS: list[tuple[re.Pattern[str], str, Callable[[re.Match[str]], str] | None]] = [
    (re.compile(r"^/review/(?:queue|docking|applications)/(\d+)(?:/.*)?$"), "application", None),
    (re.compile(r"^/review/rubric/(\d+)/.+$"), "criterion", None),
    (re.compile(r"^/review/conflicts/(\d+)/.+$"), "conflict", None),
    (re.compile(r"^/review/assignments/(\d+)/.+$"), "assignment", None),
    (re.compile(r"^/review/decisions/(\d+)/.+$"), "decision", None),
    (re.compile(r"^/schedule/events/(\d+)\.ics$"), "event", lambda m: "/schedule.ics"),
    (re.compile(r"^/schedule/(?:manage/)?sessions/(\d+)(?:/.+|\.ics)$"), "session", None),
    (re.compile(r"^/schedule/(?:manage/)?slots/(\d+)(?:/.+|\.ics)$"), "slot", None),
    (re.compile(r"^/live/docking/(\d+)/.+$"), "request", None),
    (re.compile(r"^/live/(\d+)(?:/.*)?$"), "session", None),
    (re.compile(r"^/signing/intents/(\d+)(?:/.*)?$"), "intent", None),
    (re.compile(r"^/signing/signers/(\d+)/.+$"), "signer", None),
    (re.compile(r"^/(?:organizer/)?applications/(\d+)(?:/.*)?$"), "application", None),
    (re.compile(r"^/apply/(\d+)$"), "event", lambda m: "/apply"),
    (re.compile(r"^/events/(\d+)(/.*)?$"), "event", lambda m: m.group(2) or ""),
]

#: an office's old pages: ``(pattern, new path under /o/<org>)``
ORGANISATION_PATHS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^/events/manage$"), lambda m: "/events"),
    (re.compile(r"^/events/new$"), lambda m: "/events/new"),
    (re.compile(r"^/organizer/(people|invitations)(/.*)?$"), lambda m: f"/{m.group(1)}{m.group(2) or ''}"),
    (re.compile(r"^/districts(/.*)?$"), lambda m: f"/districts{(m.group(1) or '').rstrip('/')}"),
]


#: old links that were public pages: they redirect for anonymous visitors too
PUBLIC_PATHS = re.compile(r"^/events/\d+$|^/apply/\d+$|^/schedule/events/\d+\.ics$")


def _with_query(path: str) -> str:
    query = request.query_string.decode("utf-8", "replace")
    return f"{path}?{query}" if query else path


def _visible(event: Event) -> bool:
    """Unpublished events exist only for their staff."""
    return event.published or (current_user.is_authenticated
                               and bool(grant_in_event(event).roles & STAFF_ROLES))


@bp.route("/review/", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/review/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/schedule/", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/schedule/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/live/<int:session_id>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/live/<int:session_id>/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/live/docking", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/live/docking/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/signing/", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/signing/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/applications/<int:application_id>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/applications/<int:application_id>/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/organizer/applications", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/organizer/applications/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/apply/<int:event_id>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/events/<int:event_id>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/events/<int:event_id>/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/events/manage", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/events/new", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/organizer/people", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/organizer/people/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/organizer/invitations", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/organizer/invitations/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/districts/", methods=["GET", "POST"], endpoint="old_link")
@bp.route("/districts/<path:rest>", methods=["GET", "POST"], endpoint="old_link")
@public  # anonymous visitors reach only PUBLIC_PATHS; the rest asks them to sign in first
def old_link(**_values: Any) -> Response:
    path = request.path
    if not current_user.is_authenticated and not PUBLIC_PATHS.match(path):
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    for pattern, kind, rewrite in OBJECT_PATHS:
        match = pattern.match(path)
        if match is None:
            continue
        event_id = event_id_of(kind, int(match.group(1)))
        event = db.session.get(Event, event_id) if event_id is not None else None
        if event is None or not _visible(event):
            abort(404)
        new = rewrite(match) if rewrite is not None else path
        return redirect(_with_query(f"/e/{event.slug}{new}"), 308)
    for pattern, rewrite in ORGANISATION_PATHS:
        match = pattern.match(path)
        if match is not None:
            return _to_organisation(rewrite(match))
    return redirect(url_for("legacy.choose_event", next=_with_query(path.rstrip("/") or "/")))


def _organisations() -> list[Organisation]:
    """The offices the person organises, or else those of the events they recruit in."""
    organised = list(db.session.scalars(
        select(Organisation).join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == current_user.id,
               OrganisationMember.role == OrganisationRole.ORGANIZER).order_by(Organisation.id)))
    if organised:
        return organised
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(
            select(Event.organisation_id).join(EventRole, EventRole.event_id == Event.id)
            .where(EventRole.user_id == current_user.id))).order_by(Organisation.id)))


def _to_organisation(new: str) -> Response:
    organisations = _organisations()
    if len(organisations) == 1:
        return redirect(_with_query(f"/o/{organisations[0].slug}{new}"), 308)
    return redirect(url_for("legacy.choose_event", next=_with_query(new), office="1"))


def _my_events() -> list[Event]:
    """The person's events: a role in them, their office's, or an application to them."""
    organised = select(OrganisationMember.organisation_id).where(
        OrganisationMember.user_id == current_user.id, OrganisationMember.role == OrganisationRole.ORGANIZER)
    applied = unscoped(select(_applications.c.event_id).where(_applications.c.applicant_id == current_user.id),
                       "a person's own applications in every event (choosing an event)")
    roles = select(EventRole.event_id).where(EventRole.user_id == current_user.id)
    return list(db.session.scalars(
        select(Event).where(Event.id.in_(roles) | Event.organisation_id.in_(organised) | Event.id.in_(applied))
        .order_by(Event.archived_at.is_not(None), Event.created_at.desc(), Event.id.desc())))


def _safe_next(value: str | None) -> str:
    """A path to append to ``/e/<slug>`` or ``/o/<org>``: one leading slash, nothing else."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value or any(
            ord(c) < 32 for c in value):
        return ""
    return value


def _page_held(prefix: str, event: Event | None, next_path: str) -> bool:
    """Whether ``prefix + next_path`` is a page and the person holds its permission there."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(f"{prefix}{next_path.split('?')[0]}", method="GET")
    except HTTPException:
        return False
    permission = permission_of(endpoint)
    if permission is None:
        return False
    if event is None:
        return True
    return roles_may(grant_in_event(event).roles, permission)


@bp.route("/my/events")
@requires("account.use")
def choose_event() -> str | Response:
    next_path = _safe_next(request.args.get("next"))
    if request.args.get("office"):
        organisations = _organisations()
        return render_template("events/choose_event.html", next_path=next_path, events=[], holding=set(),
                               organisations=organisations)
    events = [event for event in _my_events() if _visible(event)]
    holding = [event for event in events if next_path and _page_held(f"/e/{event.slug}", event, next_path)]
    current = [event for event in holding if event.archived_at is None]
    if len(current) == 1:
        return redirect(f"/e/{current[0].slug}{next_path}")
    return render_template("events/choose_event.html", next_path=next_path, events=events,
                           holding={event.id for event in holding}, organisations=[])
