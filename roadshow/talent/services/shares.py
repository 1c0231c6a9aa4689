"""An office shares its talent pool with an alliance it belongs to (issue 14, "Alliances"): all
of it or one category, with or without the contact log; a share is revoked, never deleted.

What a partner sees: ``shared_with`` is the condition on ``talent_people`` for the records of
OTHER offices visible to an office. A share is in effect while it is not revoked, the sharing
office is a current member of the alliance and made the share during that membership (leaving
ends it; joining again does not bring it back), and the reading office is a current member too.
Withdrawn and erased people are never visible (``people.active``).

Services take the session and the acting user; they flush, the view commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session, aliased

from roadshow.db import utcnow
from roadshow.organisations.models import Alliance, AllianceMember, Organisation
from roadshow.talent.models import Category, Contact, Person, Share
from roadshow.talent.services.people import active

log = logging.getLogger(__name__)


class ShareError(ValueError):
    """A share that cannot be made or revoked; ``field`` names the form field to show it by."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


@dataclass(frozen=True)
class SharedPool:
    """Part of another office's pool that an office sees: the keeper, its category (None: all)
    and whether its contact log is shared."""

    organisation_id: int
    category: Category | None
    contacts_shared: bool


@dataclass(frozen=True)
class ShareRow:
    """One of an office's shares as its sharing page lists it."""

    share: Share
    alliance: Alliance
    #: not revoked, and the office still the member that made it
    in_effect: bool


def _keeper() -> Any:
    return aliased(AllianceMember, name="keeper")


def _in_effect(keeper: Any) -> ColumnElement[bool]:
    """A share not revoked, made by a current member during its current membership."""
    return and_(Share.revoked_at.is_(None), keeper.alliance_id == Share.alliance_id,
                keeper.organisation_id == Share.organisation_id, keeper.left_at.is_(None),
                Share.created_at >= keeper.joined_at)


def current_alliances(session: Session, organisation: Any) -> list[Alliance]:
    """The alliances ``organisation`` is a current member of."""
    return list(session.scalars(
        select(Alliance).join(AllianceMember, AllianceMember.alliance_id == Alliance.id)
        .where(AllianceMember.organisation_id == organisation.id,
               AllianceMember.left_at.is_(None))
        .order_by(Alliance.name_en, Alliance.id)))


def shares_of(session: Session, organisation: Any) -> list[ShareRow]:
    """Every share the office made: those in effect first, newest first within each."""
    keeper = _keeper()
    effective = set(session.scalars(select(Share.id).join(keeper, _in_effect(keeper)).where(
        Share.organisation_id == organisation.id)))
    rows = session.execute(select(Share, Alliance).join(Alliance, Alliance.id == Share.alliance_id)
                           .where(Share.organisation_id == organisation.id)
                           .order_by(Share.created_at.desc(), Share.id.desc())).all()
    listed = [ShareRow(share=share, alliance=alliance, in_effect=share.id in effective)
              for share, alliance in rows]
    return sorted(listed, key=lambda row: not row.in_effect)


def share(session: Session, actor: Any, organisation: Any, alliance: Alliance | None,
          category: Category | str | None, contacts_shared: bool) -> Share:
    """``organisation`` shares its pool (``category`` None or "": all of it) with the other
    members of ``alliance``; its contact log too if ``contacts_shared``."""
    if alliance is None or alliance.id not in {a.id for a in current_alliances(session,
                                                                                organisation)}:
        raise ShareError(_l("The office is not a member of this alliance."), "alliance")
    if category in (None, ""):
        category = None
    else:
        try:
            category = Category(category)
        except ValueError:
            raise ShareError(_l("Choose a category from the list."), "category") from None
    for row in shares_of(session, organisation):
        if not row.in_effect or row.share.alliance_id != alliance.id:
            continue
        if row.share.category is None:
            raise ShareError(_l("The whole pool is shared with this alliance already."),
                             "category")
        if row.share.category == category:
            raise ShareError(_l("This category is shared with this alliance already."),
                             "category")
    row = Share(alliance_id=alliance.id, organisation_id=organisation.id, category=category,
                contacts_shared=bool(contacts_shared), created_at=utcnow())
    session.add(row)
    session.flush()
    log.info("%s shares its talent pool (%s, contacts %s) with alliance %s (by %s)",
             getattr(organisation, "slug", organisation.id),
             category.value if category else "all", "yes" if contacts_shared else "no",
             alliance.slug, getattr(actor, "email", None))
    return row


def find_share(session: Session, organisation: Any, share_id: int) -> Share | None:
    """One of ``organisation``'s shares (None for another office's)."""
    return session.scalars(select(Share).where(Share.id == share_id,
                                               Share.organisation_id == organisation.id)).first()


def revoke(session: Session, actor: Any, row: Share, now: datetime | None = None) -> None:
    """Ends a share; the row stays with the moment it ended."""
    if row.revoked_at is not None:
        raise ShareError(_l("This share was already revoked."))
    row.revoked_at = now or utcnow()
    session.flush()
    log.info("talent share %s revoked by %s", row.id, getattr(actor, "email", None))


# --- what a partner sees -----------------------------------------------------------------------

def shared_pools(session: Session, organisation_id: int) -> list[SharedPool]:
    """The parts of other offices' pools shared with ``organisation_id``, through every
    alliance both are current members of."""
    keeper = _keeper()
    reader = aliased(AllianceMember, name="reader")
    rows = session.execute(
        select(Share.organisation_id, Share.category, Share.contacts_shared)
        .join(keeper, _in_effect(keeper))
        .join(reader, and_(reader.alliance_id == Share.alliance_id,
                           reader.organisation_id == organisation_id, reader.left_at.is_(None)))
        .where(Share.organisation_id != organisation_id)
        .distinct()).all()
    return sorted((SharedPool(row.organisation_id, row.category, row.contacts_shared)
                   for row in rows),
                  key=lambda p: (p.organisation_id, p.category.value if p.category else ""))


def _covers(pool: SharedPool) -> ColumnElement[bool]:
    if pool.category is None:
        return Person.organisation_id == pool.organisation_id
    return and_(Person.organisation_id == pool.organisation_id, Person.category == pool.category)


def condition(pools: list[SharedPool]) -> ColumnElement[bool]:
    """The people ``pools`` cover, active ones only (nothing when there is no pool)."""
    if not pools:
        return false()
    return and_(or_(*(_covers(pool) for pool in pools)), active())


def shared_with(session: Session, organisation_id: int) -> ColumnElement[bool]:
    """The condition for the records of OTHER offices visible to ``organisation_id``."""
    return condition(shared_pools(session, organisation_id))


def keepers(session: Session, pools: list[SharedPool]) -> dict[int, Organisation]:
    """The offices that keep ``pools``, by id."""
    ids = {pool.organisation_id for pool in pools}
    if not ids:
        return {}
    return {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(ids)))}


@dataclass(frozen=True)
class SharedRecord:
    """Another office's person as a partner reads them: the contact entries they may see."""

    person: Person
    keeper: Organisation
    contacts: list[Contact]


def shared_record(session: Session, organisation_id: int, person_id: int) -> SharedRecord | None:
    """Another office's active person shared with ``organisation_id`` (None otherwise). Their
    contact log shows only when a share covering them shares contacts, and then only the
    entries their officers marked as shared."""
    pools = shared_pools(session, organisation_id)
    person = session.scalars(select(Person).where(Person.id == person_id,
                                                  condition(pools))).first()
    if person is None:
        return None
    covering = [pool for pool in pools if pool.organisation_id == person.organisation_id
                and pool.category in (None, person.category)]
    contacts = [contact for contact in person.contacts if contact.shared] if any(
        pool.contacts_shared for pool in covering) else []
    return SharedRecord(person=person, keeper=person.organisation, contacts=contacts)
