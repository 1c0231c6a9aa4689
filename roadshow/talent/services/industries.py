"""The office's bilingual taxonomy of industry chains and the fields under them, and which of
them a person works in (each change kept in the record's history)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.talent.models import Change, ChangeReason, Industry, Person

CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


class IndustryError(ValueError):
    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


def industries_of(session: Session, organisation: Any) -> list[Industry]:
    """Every chain followed by its fields, chains in code order."""
    rows = list(session.scalars(select(Industry).where(
        Industry.organisation_id == organisation.id).order_by(Industry.code)))
    fields: dict[int, list[Industry]] = {}
    for row in rows:
        if row.parent_id is not None:
            fields.setdefault(row.parent_id, []).append(row)
    ordered = []
    for chain in (row for row in rows if row.parent_id is None):
        ordered.append(chain)
        ordered.extend(fields.get(chain.id, []))
    return ordered


def create_industry(session: Session, actor: Any, organisation: Any, code: str, name_zh: str,
                    name_en: str, parent_id: int | None = None) -> Industry:
    code = code.strip().lower()
    if not CODE_PATTERN.match(code) or len(code) > 40:
        raise IndustryError(_l("Use lower-case Latin letters, digits and hyphens."), "code")
    if not name_zh.strip() or not name_en.strip():
        raise IndustryError(_l("Give the name in both languages."), "name_zh")
    if session.scalar(select(Industry.id).where(Industry.organisation_id == organisation.id,
                                                Industry.code == code)) is not None:
        raise IndustryError(_l("The office uses this code already."), "code")
    if parent_id is not None:
        parent = session.get(Industry, parent_id)
        if parent is None or parent.organisation_id != organisation.id or parent.parent_id:
            raise IndustryError(_l("Choose one of the office's industry chains."), "parent")
    industry = Industry(organisation_id=organisation.id, code=code, name_zh=name_zh.strip(),
                        name_en=name_en.strip(), parent_id=parent_id)
    session.add(industry)
    session.flush()
    return industry


def _codes(industries: list[Industry]) -> str:
    return ", ".join(sorted(industry.code for industry in industries))


def set_industries(session: Session, actor: Any, person: Person,
                   industry_ids: list[int]) -> Change | None:
    """``person`` works in the office's industries ``industry_ids`` (others are ignored); the
    change, if any, is kept in the history with the codes before and after."""
    chosen = list(session.scalars(select(Industry).where(
        Industry.organisation_id == person.organisation_id,
        Industry.id.in_(industry_ids)))) if industry_ids else []
    before, after = _codes(person.industries), _codes(chosen)
    if before == after:
        return None
    person.industries = chosen
    change = Change(person_id=person.id, changed_by_id=getattr(actor, "id", None),
                    changed_at=utcnow(), field="industries", old_value=before or None,
                    new_value=after or None, reason=ChangeReason.EDIT.value)
    session.add(change)
    session.flush()
    return change
