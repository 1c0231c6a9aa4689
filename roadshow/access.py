"""The one place that decides who may do what.

Every view declares the permission it needs with :func:`requires` (or :func:`public`); a
``before_request`` guard enforces it, and a view that declares nothing is refused: deny by
default. Object-level rules (a judge only sees assigned applications, an applicant only their
own) live in the ``policy`` functions of each domain and are called by its services.

Since issue 13 a permission is evaluated *in the scope of the URL*: the roles the user holds in
the event of an ``/e/<slug>/`` page, the office of an ``/o/<slug>/`` page, the alliance of an
``/a/<slug>/`` page, else everything they hold anywhere (:func:`current_grant`). The grants
themselves live in ``roadshow.organisations.grants``, a later layer: ``roadshow.events.scope``
installs them here with :func:`install_grant_resolver` when the app starts.

The permission-matrix test walks every route with every actor in two offices' events and checks
what each may open; tests/core/test_access_snapshot.py writes out endpoint -> permission -> roles
by hand, so widening a permission or moving an endpoint to a wider one fails until the table is
changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.accounts.roles import EVENT_ROLES, STAFF_ROLES, Role

log = logging.getLogger("roadshow.access")

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
#: every role held in an event: what "anyone signed in to the event" means
ALL_ROLES = EVENT_ROLES
ADMIN_ONLY = frozenset({Role.ADMIN})
ORGANIZERS = frozenset({Role.ORGANIZER})

#: permission name -> roles that hold it. Keep names ``<domain>.<verb>``.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "account.use": ALL_ROLES | ADMIN_ONLY,
    "platform.manage": ADMIN_ONLY,  # organisations and alliances of the platform
    "organisations.manage": ORGANIZERS,  # an office's settings, members, alliance shares
    "reports.view": ORGANIZERS,
    "organizer.manage": frozenset({Role.ORGANIZER}),
    "districts.manage": frozenset({Role.ORGANIZER}),
    "districts.view": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    "mail.manage": ADMIN_ONLY,
    "events.manage": frozenset({Role.ORGANIZER}),
    "applications.apply": frozenset({Role.APPLICANT}),
    "applications.view_all": frozenset({Role.ORGANIZER}),
    "review.judge": frozenset({Role.JUDGE}),
    "review.manage": frozenset({Role.ORGANIZER}),
    "docking.recruit": frozenset({Role.RECRUITER}),
    "schedule.view": ALL_ROLES,
    "schedule.manage": frozenset({Role.ORGANIZER}),
    "schedule.availability": frozenset({Role.APPLICANT, Role.JUDGE, Role.RECRUITER}),
    "live.join": ALL_ROLES,
    "live.docking": frozenset({Role.ORGANIZER, Role.RECRUITER, Role.APPLICANT}),
    "live.arrange": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    "signing.draft": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    "signing.sign": ALL_ROLES,
    # a job's page: the person who started it (and organizers of its event)
    "jobs.view": ALL_ROLES | ADMIN_ONLY,
    "jobs.oversee": frozenset({Role.ORGANIZER, Role.ADMIN}),
    # the talent pool of an office (issue 14): its organizers and its liaison station officers
    "talent.view": frozenset({Role.ORGANIZER, Role.STATION}),
    "talent.contact": frozenset({Role.ORGANIZER, Role.STATION}),
    "talent.manage": frozenset({Role.ORGANIZER}),
    # from a sealed intent to a landed project (issue 15): the office's board, templates and
    # plan; a district's recruiters follow their unit's milestones and tasks
    "outcomes.manage": ORGANIZERS,
    "outcomes.follow": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    # the demand catalogue (issue 15): districts enter their own demands, the office reviews and
    # publishes them, keeps partner resources, and both work the matches into a project list
    "demands.enter": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    "demands.manage": ORGANIZERS,
    "demands.match": frozenset({Role.ORGANIZER, Role.RECRUITER}),
    # writing to a group of an event's people (issue 17): its organizers
    "messages.send": ORGANIZERS,
}

#: endpoints served by extensions, outside our views
EXEMPT_ENDPOINT_PREFIXES = ("static", "bootstrap.")

#: endpoints that still change an archived event (everything else of it is read-only)
ARCHIVE_WRITABLE = frozenset({"events.unarchive"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class NoGrant:
    """What an anonymous visitor holds: nothing (the shape of ``organisations.grants.Grant``)."""

    roles: frozenset[Role] = frozenset()
    district_ids: frozenset[int] = frozenset()
    event_id: int | None = None
    organisation_id: int | None = None
    read_only: bool = False


@dataclass(frozen=True)
class GrantResolver:
    """How access finds grants; installed by ``roadshow.events.scope.init_app``.

    ``current(user)`` is the user's grant in the request's scope (``g.event``, ``g.alliance``,
    ``g.organisation``, else the account); ``in_event(user, event)`` their grant in ``event``
    (an Event or its id); ``on_account(user)`` what they hold outside any event (the pages
    of their own account: their applications, their profile)."""

    current: Callable[[Any], Any]
    in_event: Callable[[Any, Any], Any]
    on_account: Callable[[Any], Any]
    #: ``in_events(user, events)``: the grants in several events at once, by event id
    in_events: Callable[[Any, Any], Any]


_resolver: list[GrantResolver] = []


def install_grant_resolver(resolver: GrantResolver) -> None:
    _resolver[:] = [resolver]


def _installed() -> GrantResolver:
    if not _resolver:
        raise RuntimeError("no grant resolver: roadshow.events.scope.init_app installs it")
    return _resolver[0]


def current_grant() -> Any:
    """The signed-in user's grant in this request's scope, computed once per request."""
    grant = g.get("grant")
    if grant is None:
        grant = _installed().current(current_user)
        g.grant = grant
    return grant


def grant_in_event(event: Any) -> Any:
    """The signed-in user's grant in ``event`` (an Event or its id), for pages listing several."""
    return _installed().in_event(current_user, event)


def grants_in_events(events: Any) -> Any:
    """The signed-in user's grants in ``events`` (Events), by event id, in a few queries; later
    ``grant_in_event`` and ``user_may(..., event)`` calls of the request reuse them."""
    return _installed().in_events(current_user, events)


def requires(permission: str) -> Callable[[F], F]:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}; declare it in roadshow.access")

    def mark(view: F) -> F:
        view.required_permission = permission  # type: ignore[attr-defined]
        return view

    return mark


def public(view: F) -> F:
    view.required_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def role_may(role: Role | None, permission: str) -> bool:
    if permission == PUBLIC:
        return True
    if role is None:
        return False
    return role in PERMISSIONS[permission]


def roles_may(roles: frozenset[Role] | set[Role], permission: str) -> bool:
    """Whether any of ``roles`` holds ``permission``."""
    if permission == PUBLIC:
        return True
    return bool(PERMISSIONS[permission] & frozenset(roles))


def permission_of(endpoint: str) -> str | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "required_permission", None)


def user_may(permission: str, event: Any = None, *, on_account: bool = False) -> bool:
    """For templates: whether the current user holds ``permission`` in ``event`` (an Event or its
    id; dashboards listing several events), on their account (``on_account``: for a link to a
    page outside any event, shown on an event's page), or else in the current page's scope."""
    if permission == PUBLIC:
        return True
    if not current_user.is_authenticated:
        return False
    if on_account:
        grant = _installed().on_account(current_user)
    else:
        grant = grant_in_event(event) if event is not None else current_grant()
    return roles_may(grant.roles, permission)


def _archived_page() -> Any:
    return make_response(render_template(
        "errors/error.html", code=403, title=_("This event is archived"),
        message=_("This event is archived and can no longer be changed."), detail=None,
    ), 403)


def _roles_text(roles: frozenset[Role]) -> str:
    return ", ".join(sorted(role.value for role in roles)) or "no role"


def enforce_access() -> Any:
    endpoint = request.endpoint
    if endpoint is None or endpoint.startswith(EXEMPT_ENDPOINT_PREFIXES):
        return None
    permission = permission_of(endpoint)
    if permission is None:
        log.warning("refused %s: endpoint %s declares no permission", request.path, endpoint)
        abort(403)
    event = g.get("event")
    # an unpublished event exists only for its staff
    if event is not None and not event.published and not (
            current_user.is_authenticated and current_grant().roles & STAFF_ROLES):
        abort(404)
    if permission != PUBLIC and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    grant = current_grant() if current_user.is_authenticated else NoGrant()
    if not roles_may(grant.roles, permission):
        log.warning(
            "refused %s %s to user %s (%s): needs %s",
            request.method, request.path, current_user.id, _roles_text(grant.roles), permission,
        )
        abort(403)
    archived = event is not None and event.archived_at is not None
    if archived and request.method not in READ_METHODS and endpoint not in ARCHIVE_WRITABLE:
        log.warning("refused %s %s: event %s is archived", request.method, request.path,
                    event.slug)
        abort(_archived_page())
    return None


def deny(reason: str) -> None:
    """Object-level refusal from a view after a policy check; logged, then 403."""
    user = getattr(current_user, "id", None)
    log.warning("refused %s %s to user %s: %s", request.method, request.path, user, reason)
    abort(403)
