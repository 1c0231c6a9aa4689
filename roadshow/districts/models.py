"""Districts (板块): counties, districts, development zones, universities that recruit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.extensions import db
from roadshow.organisations.models import Organisation

if TYPE_CHECKING:
    from roadshow.accounts.models import User


class District(db.Model):
    __tablename__ = "districts"
    #: codes are unique per office: two offices may both have a "gulou"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the office the district belongs to (no default: every district is created for an office)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20), default="district")
    offer_zh: Mapped[str] = mapped_column(Text, default="")
    offer_en: Mapped[str] = mapped_column(Text, default="")
    industries_zh: Mapped[str] = mapped_column(String(400), default="")
    industries_en: Mapped[str] = mapped_column(String(400), default="")

    organisation: Mapped[Organisation] = relationship(back_populates="districts")
    recruiters: Mapped[list[User]] = relationship(back_populates="district")

    def __repr__(self) -> str:
        return f"<District {self.code}>"
