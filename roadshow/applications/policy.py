"""What an application asks of each kind of event, and who may read its pitch deck and files.

A roadshow's call asks for a project (title, summary, track, stage, team, pitch deck); a
symposium's or a promotion event's "call" is a registration, which asks only the applicant's
profile and the event's own questions (:func:`required_fields`).

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

#: what a roadshow's submission needs besides the profile and the event's questions
PROJECT_PARTS = ("title", "summary", "track", "stage", "team_size", "deck")
#: what every submission needs: the applicant profile and the event's required questions
COMMON_PARTS = ("profile", "questions")
#: event kinds whose call is a registration (no project, no deck)
REGISTRATION_KINDS = frozenset({"symposium", "promotion"})


def _kind(event: Any) -> str:
    kind = getattr(event, "kind", None)
    return str(getattr(kind, "value", kind) or "roadshow")


def is_registration(event: Any) -> bool:
    """Whether the event's call registers people (a symposium, a promotion event) rather than
    collecting projects."""
    return _kind(event) in REGISTRATION_KINDS


def required_fields(event: Any) -> tuple[str, ...]:
    """The parts a submission to ``event`` needs: the profile and the event's questions, plus
    the project (title, summary, track, stage, team size, pitch deck) for a roadshow."""
    if is_registration(event):
        return COMMON_PARTS
    return PROJECT_PARTS + COMMON_PARTS


#: ``(session, user, application) -> bool`` callables from other domains; any True grants
DECK_READERS: list[Callable[[Session, Any, Application], bool]] = []


def is_owner(user: Any, application: Application) -> bool:
    """Whether ``user`` is the applicant of ``application`` (an account applies under its own
    name, whatever it does elsewhere)."""
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and application.applicant_id == user.id)


def may_read_deck(session: Session, user: Any, application: Application,
                  roles: frozenset[Role] = frozenset()) -> bool:
    """Whether ``user``, holding ``roles`` in the application's event (its grant), may download
    the deck (and file answers) of ``application``: the event's organizers and the applicant
    always may; judges and recruiters as the review domain's :data:`DECK_READERS` answer."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if Role.ORGANIZER in roles or is_owner(user, application):
        return True
    return any(reader(session, user, application) for reader in DECK_READERS)
