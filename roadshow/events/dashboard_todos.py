"""What the events domain asks of an event's organizers on the dashboard (issue 13, §4): an
unpublished event to publish, a finished event to archive. Read from the event rows alone."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.events.models import Event
from roadshow.events.services import state_of
from roadshow.events.todos import Todo
from roadshow.organisations.grants import Grant


def todos(session: Session, user: User, grants: dict[int, Grant]) -> dict[int, list[Todo]]:
    organised = [event_id for event_id, grant in grants.items() if Role.ORGANIZER in grant.roles]
    if not organised:
        return {}
    answer: dict[int, list[Todo]] = {}
    events = session.scalars(select(Event).where(Event.id.in_(organised))
                             .options(selectinload(Event.phases)))
    for event in events:
        state = state_of(event)
        if state == "draft":
            answer[event.id] = [Todo("event_unpublished", 1, _("Not published yet: check it and publish it."),
                                     "events.edit")]
        elif state == "finished":
            answer[event.id] = [Todo("event_to_archive", 0, _("Finished: archive it to keep it read-only."),
                                     "events.manage")]
    return answer
