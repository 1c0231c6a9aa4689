"""Districts (板块): counties, districts, development zones, universities that recruit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from roadshow.extensions import db

if TYPE_CHECKING:
    from roadshow.accounts.models import User


class District(db.Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20), default="district")
    offer_zh: Mapped[str] = mapped_column(Text, default="")
    offer_en: Mapped[str] = mapped_column(Text, default="")
    industries_zh: Mapped[str] = mapped_column(String(400), default="")
    industries_en: Mapped[str] = mapped_column(String(400), default="")

    recruiters: Mapped[list[User]] = relationship(back_populates="district")

    def __repr__(self) -> str:
        return f"<District {self.code}>"
