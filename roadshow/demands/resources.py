"""The partners' resources (资源清单) and the demands attached to an event's call (issue 15).

Organizers keep the list of experts, labs and platforms partner universities and institutes
offer; they attach published demands to an event so its call for projects can show them.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import Session

from roadshow.demands.catalogue import PUBLIC, DemandError, DemandForbiddenError, is_organizer
from roadshow.demands.models import Demand, Resource, ResourceKind, demand_events

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = ("partner_zh", "partner_en", "kind", "title_zh", "title_en", "description_zh",
          "description_en", "contact_name", "contact_email", "contact_phone")


def parse_resource(form: Any) -> dict[str, Any]:
    """The resource form's values; a bad one raises ``DemandError`` naming its field."""
    values = {name: (form.get(name) or "").strip() for name in FIELDS}
    if not values["partner_zh"]:
        raise DemandError(_("Please enter the partner's Chinese name."), "partner_zh")
    if not values["title_zh"]:
        raise DemandError(_("Please enter the Chinese title."), "title_zh")
    try:
        values["kind"] = ResourceKind(values["kind"])
    except ValueError:
        raise DemandError(_("Please choose an expert, a lab or a platform."), "kind") from None
    if values["contact_email"] and not _EMAIL.match(values["contact_email"]):
        raise DemandError(_("Please enter a valid email address."), "contact_email")
    return values


def save_resource(session: Session, organisation_id: int, grant: Any, values: dict[str, Any],
                  resource: Resource | None = None) -> Resource:
    if not is_organizer(grant):
        raise DemandForbiddenError
    if resource is None:
        resource = Resource(organisation_id=organisation_id)
        session.add(resource)
    elif resource.organisation_id != organisation_id:
        raise DemandForbiddenError
    for name, value in values.items():
        setattr(resource, name, value)
    session.flush()
    return resource


def delete_resource(session: Session, resource: Resource, grant: Any) -> None:
    if not is_organizer(grant):
        raise DemandForbiddenError
    session.delete(resource)
    session.flush()


def attach(session: Session, event: Any, demands: list[Demand], grant: Any) -> int:
    """Attach published demands of the event's office to its call; returns how many were new."""
    if not is_organizer(grant):
        raise DemandForbiddenError
    if any(d.organisation_id != event.organisation_id or d.status not in PUBLIC for d in demands):
        raise DemandError(_("Only the office's published demands can be attached to a call."))
    present = set(session.scalars(select(demand_events.c.demand_id).where(
        demand_events.c.event_id == event.id)))
    new = [{"demand_id": d.id, "event_id": event.id} for d in demands if d.id not in present]
    if new:
        session.execute(insert(demand_events), new)
    return len(new)


def detach(session: Session, event: Any, demand: Demand, grant: Any) -> None:
    if not is_organizer(grant):
        raise DemandForbiddenError
    session.execute(delete(demand_events).where(demand_events.c.event_id == event.id,
                                                demand_events.c.demand_id == demand.id))


def event_demands(event_id: int) -> Select[tuple[Demand]]:
    """The published demands attached to an event's call, for its public page."""
    return (select(Demand).join(demand_events, demand_events.c.demand_id == Demand.id)
            .where(demand_events.c.event_id == event_id, Demand.status.in_(PUBLIC))
            .order_by(Demand.district_id, Demand.id))
