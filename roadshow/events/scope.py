"""Loading a page's event, office or alliance once (issue 13, docs/design/many-events.md §2).

Routes name their scope in the path: ``f"{E}/review/queue"`` for an event's page, ``f"{O}/..."``
for an office's, ``f"{A}/..."`` for an alliance's. :func:`pull_scope` takes the slug out of the
view's arguments; :func:`load_scope`, a ``before_request`` hook that runs after the CSRF check,
loads the row and sets ``g.event``
(with ``g.organisation``, the event's office), ``g.organisation`` or ``g.alliance``; a missing
row is a 404, and so is an event page of a stage the event does not run
(:data:`STAGE_OF_BLUEPRINT`). :func:`push_scope` fills the slug back into ``url_for`` inside
such a page, so ``url_for("review.queue")`` needs no ``event_slug`` there.

:func:`init_app` also installs the grants (``roadshow.organisations.grants``) into
``roadshow.access``, which sits in an earlier layer and cannot import them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from roadshow import access
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.organisations import grants
from roadshow.organisations.models import Alliance, Organisation

#: path prefixes of the three scopes
E = "/e/<event_slug>"
O = "/o/<org_slug>"  # noqa: E741 - the design's name for the office prefix
A = "/a/<alliance_slug>"

#: the stage that an event-scoped endpoint of each blueprint belongs to; an event that does not
#: run the stage answers 404 there
STAGE_OF_BLUEPRINT: dict[str, str] = {
    "applications": "call",
    "review": "review",
    "scheduling": "schedule",
    "live": "live",
    "signing": "signing",
}


def _blueprint_of(endpoint: str | None) -> str | None:
    if endpoint is None or "." not in endpoint:
        return None
    return endpoint.rsplit(".", 1)[0]


def _load_event(slug: str) -> Event:
    event = db.session.scalars(
        select(Event).where(Event.slug == slug).options(joinedload(Event.organisation))
    ).first()
    if event is None:
        abort(404)
    return event


def _load_one(model: type[Any], slug: str) -> Any:
    row = db.session.scalars(select(model).where(model.slug == slug)).first()
    if row is None:
        abort(404)
    return row


def pull_scope(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Take ``event_slug`` / ``org_slug`` / ``alliance_slug`` out of the view's arguments; they
    are loaded by :func:`load_scope`, after the CSRF check (a forged POST is refused as such,
    whatever slug it names)."""
    if not values:
        return
    slugs = {name: values.pop(name) for name in ("event_slug", "org_slug", "alliance_slug")
             if name in values}
    if slugs:
        g.scope_slugs = (endpoint, slugs)


def load_scope() -> None:
    """Set ``g.event``, ``g.organisation``, ``g.alliance`` from the slugs :func:`pull_scope`
    took; 404 when one is missing or the event does not run the page's stage."""
    pulled = g.pop("scope_slugs", None)
    if pulled is None:
        return
    endpoint, slugs = pulled
    event_slug = slugs.get("event_slug")
    org_slug = slugs.get("org_slug")
    alliance_slug = slugs.get("alliance_slug")
    if event_slug is not None:
        event = _load_event(event_slug)
        g.event = event
        g.organisation = event.organisation
        stage = STAGE_OF_BLUEPRINT.get(_blueprint_of(endpoint) or "")
        if stage is not None and not event.has_stage(stage):
            abort(404)
    if org_slug is not None:
        organisation = _load_one(Organisation, org_slug)
        if event_slug is not None and organisation.id != g.event.organisation_id:
            abort(404)
        g.organisation = organisation
    if alliance_slug is not None:
        g.alliance = _load_one(Alliance, alliance_slug)


def push_scope(endpoint: str, values: dict[str, Any]) -> None:
    """Fill the current page's ``event_slug`` / ``org_slug`` into ``url_for`` when the endpoint
    expects one and none was given."""
    url_map = current_app.url_map
    event = g.get("event")
    if "event_slug" not in values and event is not None and url_map.is_endpoint_expecting(
            endpoint, "event_slug"):
        values["event_slug"] = event.slug
    organisation = g.get("organisation")
    if "org_slug" not in values and organisation is not None and url_map.is_endpoint_expecting(
            endpoint, "org_slug"):
        values["org_slug"] = organisation.slug
    alliance = g.get("alliance")
    if "alliance_slug" not in values and alliance is not None and url_map.is_endpoint_expecting(
            endpoint, "alliance_slug"):
        values["alliance_slug"] = alliance.slug


def current_scope_grant(user: Any) -> grants.Grant:
    """The grant of the request's scope: the event's, the alliance's, the office's, else the
    account's."""
    session = db.session
    if g.get("event") is not None:
        return grant_in_event(user, g.event)  # the same memo as the page's other event grants
    if g.get("alliance") is not None:
        return grants.in_alliance(session, user, g.alliance)
    if g.get("organisation") is not None:
        return grants.in_organisation(session, user, g.organisation)
    return account_grant(user)  # the nav's "on the account" links read the same memo


def account_grant(user: Any) -> grants.Grant:
    """``user``'s grant outside any event, memoised per request."""
    if "account_grant" not in g:
        g.account_grant = grants.on_account(db.session, user)
    return g.account_grant


def grant_in_event(user: Any, event: Any) -> grants.Grant:
    """``user``'s grant in ``event`` (an Event or its id), memoised per request."""
    if isinstance(event, int):
        event_id = event
        row = None
    else:
        event_id, row = event.id, event
    cache: dict[int, grants.Grant] = g.setdefault("grants_by_event", {})
    if event_id not in cache:
        if row is None:
            row = db.session.get(Event, event_id)
        cache[event_id] = grants.NOBODY if row is None else grants.in_event(db.session, user, row)
    return cache[event_id]


def grants_in_events(user: Any, events: list[Event]) -> dict[int, grants.Grant]:
    """``user``'s grants in ``events`` by event id, computed together and memoised per request
    beside :func:`grant_in_event`'s."""
    cache: dict[int, grants.Grant] = g.setdefault("grants_by_event", {})
    missing = [event for event in events if event.id not in cache]
    if missing:
        cache.update(grants.in_events(db.session, user, missing))
    return {event.id: cache[event.id] for event in events}


def event_has(event: Any, stage: str) -> bool:
    """For templates: whether ``event`` runs ``stage`` (call, review, schedule, live, signing)."""
    return event is not None and event.has_stage(stage)


def init_app(app: Flask) -> None:
    """Called by create_app before ``access.enforce_access`` is registered."""
    app.url_value_preprocessor(pull_scope)
    app.before_request(load_scope)  # after csrf.init_app's check, before access is enforced
    app.url_defaults(push_scope)
    access.install_grant_resolver(access.GrantResolver(current=current_scope_grant,
                                                       in_event=grant_in_event,
                                                       on_account=account_grant,
                                                       in_events=grants_in_events))
    app.jinja_env.globals["event_has"] = event_has
    app.jinja_env.globals["current_grant"] = access.current_grant
