"""The applicant's profile: who they are, and what a submission needs of it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications.models import ApplicantProfile

PROFILE_FIELDS = ("name_latin", "name_chinese", "nationality", "country_of_residence", "institution",
                  "position", "highest_degree", "research_field", "bio")
PROFILE_REQUIRED = ("name_latin", "nationality", "country_of_residence", "institution", "position",
                    "highest_degree", "research_field")


def profile_of(session: Session, user: User) -> ApplicantProfile | None:
    return session.scalar(select(ApplicantProfile).where(ApplicantProfile.user_id == user.id))


def save_profile(session: Session, actor: User, values: dict[str, str]) -> ApplicantProfile:
    profile = profile_of(session, actor)
    if profile is None:
        profile = ApplicantProfile(user_id=actor.id)
        session.add(profile)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(profile, name, (values[name] or "").strip())
    session.flush()
    return profile


def profile_missing(profile: ApplicantProfile | None) -> list[str]:
    if profile is None:
        return list(PROFILE_REQUIRED)
    return [name for name in PROFILE_REQUIRED if not getattr(profile, name)]
