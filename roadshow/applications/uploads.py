"""Decks and file answers: where they are stored, checking and storing an upload (off the
server's event loop), and replacing the previous one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from roadshow.accounts.models import User
from roadshow.applications import files, rendering
from roadshow.applications.models import Application, ApplicationAnswer, Deck
from roadshow.applications.submission import check_owner, require_open
from roadshow.events.models import EventQuestion


def deck_store() -> files.FileStore:
    return files.FileStore(Path(current_app.config["UPLOAD_FOLDER"]) / "decks")


def answer_store() -> files.FileStore:
    return files.FileStore(Path(current_app.config["UPLOAD_FOLDER"]) / "answers")


def deck_max_bytes() -> int:
    return int(current_app.config.get("DECK_MAX_BYTES", files.DECK_MAX_BYTES))


def attach_deck(session: Session, actor: User | None, application: Application, filename: str,
                data: bytes, *, store: files.FileStore | None = None, max_bytes: int | None = None,
                now: datetime | None = None, check_deadline: bool = True,
                thumbnail: bool = True) -> Deck:
    """Check the bytes, store them under a random name, render the first page, replace the
    previous deck. Raises :class:`files.FileRefusedError` (nothing is stored) or CallClosedError."""
    if actor is not None:
        check_owner(actor, application)
    if check_deadline:
        require_open(application, now)
    # parsing and rendering run on the render thread, never on the server's event loop
    checked = rendering.off_loop(files.check, data, files.DECK_TYPES,
                                 max_bytes or deck_max_bytes())
    store = store or deck_store()
    stored_name = files.new_stored_name(checked.content_type)
    store.save(stored_name, data)
    if thumbnail and checked.content_type == files.PDF:
        png = rendering.off_loop(files.render_thumbnail, data)
        if png:
            store.thumbnail_path(stored_name).write_bytes(png)
    old = list(application.decks)
    deck = Deck(original_name=_safe_name(filename, checked.content_type), stored_name=stored_name,
                content_type=checked.content_type, size_bytes=checked.size_bytes,
                sha256=checked.sha256, page_count=checked.page_count)
    application.decks.append(deck)
    for previous in old:
        application.decks.remove(previous)
        store.delete(previous.stored_name)
    session.flush()
    return deck


def attach_answer_file(session: Session, actor: User, application: Application,
                       question: EventQuestion, filename: str, data: bytes, *,
                       now: datetime | None = None) -> ApplicationAnswer:
    check_owner(actor, application)
    require_open(application, now)
    checked = rendering.off_loop(files.check, data, files.ANSWER_TYPES, deck_max_bytes())
    store = answer_store()
    stored_name = files.new_stored_name(checked.content_type)
    store.save(stored_name, data)
    answer = next((a for a in application.answers if a.question_id == question.id), None)
    if answer is None:
        answer = ApplicationAnswer(question_id=question.id)
        application.answers.append(answer)
    elif answer.file_stored_name:
        store.delete(answer.file_stored_name)
    answer.file_original_name = _safe_name(filename, checked.content_type)
    answer.file_stored_name = stored_name
    answer.file_content_type = checked.content_type
    answer.file_size_bytes = checked.size_bytes
    answer.file_sha256 = checked.sha256
    session.flush()
    return answer


def _safe_name(filename: str, content_type: str) -> str:
    base = Path(filename or "").name.strip().replace("\x00", "")[:200] or "file"
    extension = files.EXTENSIONS.get(content_type, "")
    if extension and not base.lower().endswith(extension):
        base = base.rsplit(".", 1)[0] + extension if "." in base else base + extension
    return base
