"""A milestone's work: the responsible unit sends its evidence (a note, documents, amounts in
yuan, registered capital, people on site), an organizer confirms it (appended to the intent's
audit trail) or sends it back, and changes its unit or deadline while it is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications import files, rendering
from roadshow.db import utcnow
from roadshow.districts.models import District
from roadshow.outcomes.models import Milestone, MilestoneDocument, MilestoneState
from roadshow.outcomes.projects import OutcomeError, OutcomeForbiddenError, is_organizer, may_follow
from roadshow.outcomes.trail import append_confirmation
from roadshow.signing.audit_trail import RequestInfo

DOCUMENT_TYPES = files.ANSWER_TYPES
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 10


def document_store() -> files.FileStore:
    return files.FileStore(Path(current_app.config["UPLOAD_FOLDER"]) / "outcomes")


@dataclass(frozen=True)
class Evidence:
    note: str = ""
    amount_cny: int | None = None
    registered_capital_cny: int | None = None
    people_on_site: int | None = None
    #: (file name, bytes) of each new document
    uploads: tuple[tuple[str, bytes], ...] = ()


def parse_count(text: str | None, field: str, label: str, *, limit: int) -> int | None:
    """A whole number typed by a person (commas and spaces allowed), or None when empty."""
    cleaned = (text or "").replace(",", "").replace("，", "").replace(" ", "").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit() or int(cleaned) > limit:
        raise OutcomeError(_("%(label)s: enter a whole number, without units (for example "
                             "1280000).", label=label), field)
    return int(cleaned)


def _safe_name(filename: str, content_type: str) -> str:
    base = Path(filename or "").name.strip().replace("\x00", "")[:200] or "document"
    extension = files.EXTENSIONS.get(content_type, "")
    if extension and not base.lower().endswith(extension):
        base = base.rsplit(".", 1)[0] + extension if "." in base else base + extension
    return base


def _check_open(milestone: Milestone) -> None:
    if milestone.state == MilestoneState.CONFIRMED:
        raise OutcomeError(_("This milestone is confirmed and recorded in the intent's audit "
                             "trail; it can no longer be changed."))


def submit_evidence(session: Session, milestone: Milestone, actor: User, grant: Any,
                    evidence: Evidence, now: datetime | None = None) -> Milestone:
    """The responsible unit's (or an organizer's) evidence; the milestone awaits confirmation."""
    if not may_follow(grant, milestone.responsible_district_id):
        raise OutcomeForbiddenError("the milestone is another unit's")
    _check_open(milestone)
    note = (evidence.note or "").strip()
    if len(milestone.documents) + len(evidence.uploads) > MAX_DOCUMENTS:
        raise OutcomeError(_("A milestone holds at most %(num)d documents.", num=MAX_DOCUMENTS),
                           "documents")
    if not note and not evidence.uploads and not milestone.documents and all(
            v is None for v in (evidence.amount_cny, evidence.registered_capital_cny,
                                evidence.people_on_site)):
        raise OutcomeError(_("Describe the evidence, attach a document or enter a figure."),
                           "note")
    checked = []
    for filename, data in evidence.uploads:
        try:
            result = rendering.off_loop(files.check, data, DOCUMENT_TYPES, DOCUMENT_MAX_BYTES)
        except files.FileRefusedError:
            raise OutcomeError(_("“%(name)s” is not a PDF, PNG or JPEG file of at most 10 MB.",
                                 name=Path(filename or "").name), "documents") from None
        checked.append((filename, data, result))
    now = now or utcnow()
    store = document_store()
    for filename, data, result in checked:
        stored = files.new_stored_name(result.content_type)
        store.save(stored, data)
        milestone.documents.append(MilestoneDocument(
            original_name=_safe_name(filename, result.content_type), stored_name=stored,
            content_type=result.content_type, size_bytes=result.size_bytes, sha256=result.sha256,
            uploaded_by_id=actor.id, uploaded_at=now))
    milestone.evidence_note = note[:4000]
    milestone.amount_cny = evidence.amount_cny
    milestone.registered_capital_cny = evidence.registered_capital_cny
    milestone.people_on_site = evidence.people_on_site
    milestone.submitted_by_id = actor.id
    milestone.submitted_at = now
    milestone.state = MilestoneState.SUBMITTED
    session.flush()
    return milestone


def confirm(session: Session, milestone: Milestone, actor: User, grant: Any, info: RequestInfo,
            now: datetime | None = None) -> Milestone:
    """An organizer confirms the evidence: the milestone is appended to the intent's audit
    trail and the head signed again; the project has landed once every milestone is."""
    if not is_organizer(grant):
        raise OutcomeForbiddenError("only organizers confirm milestones")
    _check_open(milestone)
    if milestone.state != MilestoneState.SUBMITTED:
        raise OutcomeError(_("The responsible unit has not sent its evidence yet."))
    now = now or utcnow()
    milestone.state = MilestoneState.CONFIRMED
    milestone.confirmed_by_id = actor.id
    milestone.confirmed_at = now
    session.flush()
    append_confirmation(session, milestone, actor, info, now)
    project = milestone.project
    if all(m.state == MilestoneState.CONFIRMED for m in project.milestones):
        project.landed_at = now
    session.flush()
    return milestone


def send_back(session: Session, milestone: Milestone, grant: Any) -> Milestone:
    """An organizer returns the evidence to the unit to complete (nothing is recorded)."""
    if not is_organizer(grant):
        raise OutcomeForbiddenError("only organizers send evidence back")
    _check_open(milestone)
    milestone.state = MilestoneState.OPEN
    session.flush()
    return milestone


def change(session: Session, milestone: Milestone, grant: Any, *, district: District | None,
           due_on: date | None) -> Milestone:
    """An organizer changes the responsible unit or the deadline of an unconfirmed milestone."""
    if not is_organizer(grant):
        raise OutcomeForbiddenError("only organizers assign milestones")
    _check_open(milestone)
    if district is None or district.organisation_id != milestone.project.intent.district.organisation_id:
        raise OutcomeError(_("Choose one of the office's units."), "district")
    if due_on is None:
        raise OutcomeError(_("Enter the deadline as a date."), "due_on")
    if district.id != milestone.responsible_district_id or due_on != milestone.due_on:
        milestone.reminded_at = None  # a new unit or deadline: a new reminder when late
    milestone.responsible_district_id = district.id
    milestone.due_on = due_on
    session.flush()
    return milestone
