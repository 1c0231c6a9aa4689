"""Who may read an application's pitch deck and files.

The applicant who owns the application and the organizers always may. Everyone else is asked
of the domains that know: the review domain appends to :data:`DECK_READERS` a callable that
answers for judges assigned to the application and not conflicted, and for district recruiters
where the organizers allow it. A reader answers True to grant; nobody answering True refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from roadshow.accounts.roles import Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from roadshow.applications.models import Application

#: ``(session, user, application) -> bool`` callables from other domains; any True grants
DECK_READERS: list[Callable[[Session, Any, Application], bool]] = []


def is_owner(user: Any, application: Application) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.role == Role.APPLICANT and application.applicant_id == user.id)


def may_read_deck(session: Session, user: Any, application: Application) -> bool:
    """Whether ``user`` may download the deck (and file answers) of ``application``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.ORGANIZER:
        return True
    if user.role == Role.APPLICANT:
        return application.applicant_id == user.id
    return any(reader(session, user, application) for reader in DECK_READERS)
