"""Districts: the organizer keeps them; recruiters and organizers read them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.accounts.services import DISTRICT_LISTERS
from roadshow.districts.models import District
from roadshow.i18n import localized

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


def all_districts(session: Session) -> list[District]:
    """Urban districts, then counties, zones and universities; by code within each kind."""
    districts = session.scalars(select(District).order_by(District.code))
    rank = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(districts, key=lambda d: rank.get(d.kind, len(KINDS)))


def district_options(session: Session) -> list[tuple[int, str]]:
    """Every district in the listed order, named in the reader's language: the districts an
    invited recruiter may work for (accounts asks through its DISTRICT_LISTERS, filled below)."""
    return [(district.id, localized(district, "name")) for district in all_districts(session)]


DISTRICT_LISTERS.append(district_options)


def recruiter_counts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(User.district_id, func.count()).where(User.role == Role.RECRUITER,
                                                     User.district_id.is_not(None))
        .group_by(User.district_id)
    ).all()
    return {district_id: count for district_id, count in rows}


def recruiters_of(session: Session, district: District) -> list[User]:
    return list(session.scalars(select(User).where(User.role == Role.RECRUITER,
                                                   User.district_id == district.id)
                                .order_by(User.name)))


def _check(session: Session, data: DistrictData, district: District | None) -> None:
    code = data.code.strip().lower()
    if not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        raise DistrictError(_("Use only Latin letters, digits, - and _ in the code."), "code")
    if data.kind not in KINDS:
        raise DistrictError(_("Choose a kind from the list."), "kind")
    other = session.scalar(select(District).where(func.lower(District.code) == code))
    if other is not None and other is not district:
        raise DistrictError(_("Another district already uses this code."), "code")


def _apply(district: District, data: DistrictData) -> None:
    district.code = data.code.strip().lower()
    for name in ("name_zh", "name_en", "industries_zh", "industries_en", "offer_zh", "offer_en"):
        setattr(district, name, (getattr(data, name) or "").strip())
    district.kind = data.kind


def create_district(session: Session, actor: User, data: DistrictData) -> District:
    _check(session, data, None)
    district = District()
    _apply(district, data)
    session.add(district)
    return district


def update_district(session: Session, actor: User, district: District, data: DistrictData) -> None:
    _check(session, data, district)
    _apply(district, data)


def _rows_referring_to(session: Session, district: District) -> int:
    """How many rows of other tables (events, applications, whatever later stages add) point at
    the district, found through the schema's foreign keys rather than by importing those stages."""
    total = 0
    for table in District.metadata.sorted_tables:
        if table is User.__table__:
            continue  # recruiters: counted on their own, with their own message
        for key in table.foreign_keys:
            if key.column.table is District.__table__:
                total += session.scalar(select(func.count()).select_from(table)
                                        .where(key.parent == district.id)) or 0
    return total


def delete_district(session: Session, actor: User, district: District) -> None:
    """Only a district nobody relies on yet: no recruiter, no event, no application."""
    if recruiter_counts(session).get(district.id):
        raise DistrictError(_("Recruiters still work for this district. Move them to another district first."))
    if _rows_referring_to(session, district):
        raise DistrictError(_("Events or applications refer to this district, so it stays. You can still edit it."))
    session.delete(district)
