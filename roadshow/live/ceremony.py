"""The signing ceremony shown in open live rooms when an intent of cooperation completes."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.applications.models import Application
from roadshow.districts.models import District
from roadshow.extensions import db
from roadshow.live import bilingual, room_events
from roadshow.live.models import LiveRoom
from roadshow.live.namespace import LiveNamespace, get_namespace
from roadshow.scheduling.models import PitchSession
from roadshow.scoping import scoped, unscoped

log = logging.getLogger("roadshow.live")


def show_signing(_sender: Any, intent_id: int | None = None, application_id: int | None = None,
                 district_id: int | None = None, **_kwargs: Any) -> None:
    """The receiver of signing's ``intent_completed`` (signing connects it: roadshow.signing.
    ceremony); it shows the ceremony in the open rooms of this server's namespace."""
    namespace = get_namespace()
    if namespace is not None and application_id is not None:
        announce_signing(namespace, intent_id, int(application_id), district_id)


def announce_signing(namespace: LiveNamespace, intent_id: int | None, application_id: int,
                     district_id: int | None) -> int:
    """Append a ``ceremony`` event to every open room of the application's event and send it;
    written in its own transaction so the signing request's own unit of work is untouched.
    Returns how many rooms were told."""
    told = []
    with Session(db.engine, expire_on_commit=False) as session:
        application = session.scalar(unscoped(
            select(Application).where(Application.id == application_id),
            "the signed intent's application names its event"))
        if application is None:
            return 0
        district = session.get(District, district_id) if district_id else None
        rooms = session.scalars(scoped(
            select(LiveRoom).join(PitchSession, PitchSession.id == LiveRoom.session_id).where(
                PitchSession.event_id == application.event_id,
                LiveRoom.opened_at.is_not(None), LiveRoom.closed_at.is_(None)),
            application.event_id))
        data = {"intent_id": intent_id, "application_id": application_id,
                "project_en": application.title_en or application.title_zh,
                "project_zh": application.title_zh or application.title_en,
                "presenter": application.applicant.display_name,
                **bilingual.names(application.applicant, "presenter"),
                "district_en": district.name_en if district else "",
                "district_zh": district.name_zh if district else ""}
        for room in rooms:
            told.append(room_events.append_event(session, room, "ceremony", data))
        session.commit()
        for event in told:
            namespace.deliver(event)
    if told:
        log.info("signing ceremony for application %s shown in %d room(s)", application_id, len(told))
    return len(told)
