"""Downloading an application's deck, its preview and its file answers, for whoever may read
them (the applicant, organizers, assigned judges, recruiters of a chosen district)."""

from __future__ import annotations

import io

from flask import Response, abort, send_file
from flask_login import current_user

from roadshow.access import current_grant, deny, public
from roadshow.accounts.roles import Role
from roadshow.applications import files, policy, uploads
from roadshow.applications.blueprint import application_or_404, bp
from roadshow.applications.models import Application, ApplicationAnswer
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.scoping import scoped

#: roles that work on an event's applications (a refusal for them is a 403, not a 404)
STAFF = frozenset({Role.ORGANIZER, Role.JUDGE, Role.RECRUITER})


def _readable(application_id: int) -> Application:
    """The application of the URL's event if the signed-in user may read its files (its
    applicant, the event's organizers, whom the review domain lets); 404 or 403 otherwise."""
    if not current_user.is_authenticated:
        abort(404)
    application = application_or_404(application_id)
    roles = current_grant().roles
    if not policy.may_read_deck(db.session, current_user, application, roles):
        if not roles & STAFF:
            abort(404)  # another applicant's application: its existence does not leak
        deny(f"may not read the files of application {application.id}")
    return application


def _download(store: files.FileStore, stored_name: str, content_type: str, name: str) -> Response:
    try:
        path = store.path(stored_name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(io.BytesIO(path.read_bytes()), mimetype=content_type, as_attachment=True,
                         download_name=name, max_age=0, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route(f"{E}/applications/<int:application_id>/deck")
@public
def deck(application_id: int) -> Response:
    application = _readable(application_id)
    current = application.deck
    if current is None:
        abort(404)
    return _download(uploads.deck_store(), current.stored_name, current.content_type,
                     current.original_name)


@bp.route(f"{E}/applications/<int:application_id>/deck/preview.png")
@public
def deck_preview(application_id: int) -> Response:
    application = _readable(application_id)
    current = application.deck
    if current is None:
        abort(404)
    path = uploads.deck_store().thumbnail_path(current.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(io.BytesIO(path.read_bytes()), mimetype="image/png", max_age=0, etag=False)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route(f"{E}/applications/<int:application_id>/files/<int:question_id>")
@public
def answer_file(application_id: int, question_id: int) -> Response:
    application = _readable(application_id)
    answer = db.session.scalar(scoped(db.select(ApplicationAnswer).where(
        ApplicationAnswer.application_id == application.id, ApplicationAnswer.question_id == question_id),
        application.event))
    if answer is None or not answer.file_stored_name:
        abort(404)
    return _download(uploads.answer_store(), answer.file_stored_name, answer.file_content_type,
                     answer.file_original_name)

