"""Districts: each belongs to one organisation (a talent office), whose organizers keep them;
their codes are unique within the organisation. Recruiters (event roles that carry a district)
and organizers read them. Every query names the organisation."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.services import DISTRICT_LISTERS
from roadshow.districts.models import District
from roadshow.i18n import localized
from roadshow.organisations.models import EventRole, EventRoleKind, Organisation
from roadshow.scoping import unscoped

#: kinds of district, in the order they are listed; labels in :func:`kind_labels`
KINDS = ("district", "county", "zone", "university")


def kind_labels() -> dict[str, str]:
    return {
        "district": _("Urban district"),
        "county": _("County or county-level city"),
        "zone": _("Development zone"),
        "university": _("University"),
    }


class DistrictError(ValueError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class DistrictData:
    code: str
    name_zh: str
    name_en: str
    kind: str
    industries_zh: str = ""
    industries_en: str = ""
    offer_zh: str = ""
    offer_en: str = ""


def all_districts(session: Session, organisation_id: int) -> list[District]:
    """The organisation's urban districts, then counties, zones and universities; by code
    within each kind."""
    districts = session.scalars(select(District).where(District.organisation_id == organisation_id)
                                .order_by(District.code))
    rank = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(districts, key=lambda d: rank.get(d.kind, len(KINDS)))


def district_of(session: Session, organisation: Organisation, district_id: int) -> District | None:
    """The organisation's district ``district_id``; None for another organisation's."""
    district = session.get(District, district_id)
    if district is None or district.organisation_id != organisation.id:
        return None
    return district


def district_options(session: Session, organisation_id: int) -> list[tuple[int, str]]:
    """The organisation's districts in the listed order, named in the reader's language: the
    districts an invited recruiter may work for (accounts asks through its DISTRICT_LISTERS,
    filled below)."""
    return [(district.id, localized(district, "name"))
            for district in all_districts(session, organisation_id)]


DISTRICT_LISTERS.append(district_options)


def _recruiting() -> tuple[object, ...]:
    return (EventRole.role == EventRoleKind.RECRUITER, EventRole.district_id.is_not(None))


def recruiter_counts(session: Session, organisation_id: int) -> dict[int, int]:
    """How many people recruit for each of the organisation's districts, in any event."""
    rows = session.execute(
        select(EventRole.district_id, func.count(func.distinct(EventRole.user_id)))
        .join(District, District.id == EventRole.district_id)
        .where(*_recruiting(), District.organisation_id == organisation_id)
        .group_by(EventRole.district_id)
    ).all()
    return {district_id: count for district_id, count in rows}


def recruiters_of(session: Session, district: District) -> list[User]:
    """The people who recruit for the district in any event, by name."""
    return list(session.scalars(
        select(User).where(User.id.in_(select(EventRole.user_id).where(
            *_recruiting(), EventRole.district_id == district.id)))
        .order_by(User.name, User.id)))


def _check(session: Session, organisation_id: int, data: DistrictData, district: District | None) -> None:
    code = data.code.strip().lower()
    if not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        raise DistrictError(_("Use only Latin letters, digits, - and _ in the code."), "code")
    if data.kind not in KINDS:
        raise DistrictError(_("Choose a kind from the list."), "kind")
    other = session.scalar(select(District).where(District.organisation_id == organisation_id,
                                                  func.lower(District.code) == code))
    if other is not None and other is not district:
        raise DistrictError(_("Another district of this office already uses this code."), "code")


def _apply(district: District, data: DistrictData) -> None:
    district.code = data.code.strip().lower()
    for name in ("name_zh", "name_en", "industries_zh", "industries_en", "offer_zh", "offer_en"):
        setattr(district, name, (getattr(data, name) or "").strip())
    district.kind = data.kind


def create_district(session: Session, actor: User, organisation: Organisation,
                    data: DistrictData) -> District:
    _check(session, organisation.id, data, None)
    district = District(organisation_id=organisation.id)
    _apply(district, data)
    session.add(district)
    return district


def update_district(session: Session, actor: User, district: District, data: DistrictData) -> None:
    _check(session, district.organisation_id, data, district)
    _apply(district, data)


def _rows_referring_to(session: Session, district: District) -> int:
    """How many rows of other tables (events, applications, whatever later stages add) point at
    the district, found through the schema's foreign keys rather than by importing those stages."""
    total = 0
    for table in District.metadata.sorted_tables:
        if table is User.__table__ or table is EventRole.__table__:
            continue  # recruiters: counted on their own, with their own message
        for key in table.foreign_keys:
            if key.column.table is District.__table__:
                total += session.scalar(unscoped(
                    select(func.count()).select_from(table).where(key.parent == district.id),
                    "rows of any event that refer to a district about to be deleted")) or 0
    return total


def delete_district(session: Session, actor: User, district: District) -> None:
    """Only a district nobody relies on yet: no recruiter, no event, no application."""
    if recruiter_counts(session, district.organisation_id).get(district.id):
        raise DistrictError(_("Recruiters still work for this district. Move them to another district first."))
    if _rows_referring_to(session, district):
        raise DistrictError(_("Events or applications refer to this district, so it stays. You can still edit it."))
    session.delete(district)
