"""The notification centre, the person's choices, and the unsubscribe links (no sign-in)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from roadshow.access import public, requires
from roadshow.accounts.models import User
from roadshow.extensions import csrf, db
from roadshow.notifications import kinds, services, unsubscribe
from roadshow.notifications.models import Channel

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def channel_label(channel: Channel | str) -> str:
    return {"both": _("In the app and by email"), "app": _("In the app only"),
            "email": _("By email only"),
            "digest": _("In the app, and by email once a day")}[str(Channel(channel).value)]


def audience_label(audience: str) -> str:
    return {"applicant": _("As an applicant"), "judge": _("As a judge"),
            "district": _("As a district"), "organizer": _("As an organizer"),
            "everyone": _("For everyone")}[audience]


@bp.app_context_processor
def _globals() -> dict[str, object]:
    def unread_notifications() -> int:
        """For the navigation bar: counted once per request."""
        if not current_user.is_authenticated:
            return 0
        if "unread_notifications" not in g:
            g.unread_notifications = services.unread_count(db.session, current_user)
        return int(g.unread_notifications)

    return {"unread_notifications": unread_notifications,
            "notification_text": kinds.text_of}


@bp.route("")
@requires("account.use")
def centre() -> str:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = services.centre(db.session, current_user, page=page)
    return render_template("notifications/centre.html", rows=rows, total=total, page=page,
                           pages=max((total + services.PAGE_SIZE - 1) // services.PAGE_SIZE, 1),
                           unread=services.unread_count(db.session, current_user))


@bp.route("/<int:notification_id>")
@requires("account.use")
def open_one(notification_id: int) -> Response:
    """Follow a notification's link, marking it read."""
    row = services.own_notification(db.session, current_user, notification_id)
    if row is None:
        abort(404)
    services.mark_read(db.session, row)
    db.session.commit()
    target = row.url if row.url.startswith("/") and not row.url.startswith("//") else "/"
    return redirect(target)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@requires("account.use")
def mark_read(notification_id: int) -> Response:
    row = services.own_notification(db.session, current_user, notification_id)
    if row is None:
        abort(404)
    services.mark_read(db.session, row)
    db.session.commit()
    return redirect(url_for("notifications.centre"))


@bp.route("/read-all", methods=["POST"])
@requires("account.use")
def mark_all_read() -> Response:
    count = services.mark_all_read(db.session, current_user)
    db.session.commit()
    flash(_("%(num)d notifications marked as read.", num=count) if count != 1
          else _("One notification marked as read."), "success")
    return redirect(url_for("notifications.centre"))


@bp.route("/preferences", methods=["GET", "POST"])
@requires("account.use")
def preferences() -> str | Response:
    errors: list[str] = []
    if request.method == "POST":
        for kind in kinds.all_kinds():
            value = request.form.get(f"kind-{kind.name}")
            if value is None or kind.essential:
                continue
            if value not in {c.value for c in Channel}:
                errors.append(_("“%(kind)s”: choose one of the offered ways.", kind=kind.label))
                continue
            services.choose(db.session, current_user, kind.name, value)
        if not errors:
            db.session.commit()
            flash(_("Your notification choices are saved."), "success")
            return redirect(url_for("notifications.preferences"))
        db.session.rollback()
    chosen = services.choices(db.session, current_user)
    if request.method == "POST":  # show what was typed with the errors
        valid = {c.value for c in Channel}
        chosen.update({key.removeprefix("kind-"): Channel(value)
                       for key, value in request.form.items()
                       if key.startswith("kind-") and value in valid
                       and key.removeprefix("kind-") in chosen})
    groups: dict[str, list[kinds.NotificationKind]] = {}
    for kind in kinds.all_kinds():
        groups.setdefault(kind.audience, []).append(kind)
    return render_template("notifications/preferences.html", groups=groups, chosen=chosen,
                           channels=list(Channel), channel_label=channel_label,
                           audience_label=audience_label, errors=errors), (400 if errors else 200)


def _unsubscribe_target(token: str) -> tuple[User, str, str]:
    found = unsubscribe.read(token)
    user = db.session.get(User, found[0]) if found else None
    if found is None or user is None:
        abort(404)
    kind_name = found[1]
    if kind_name == services.DIGEST:
        return user, kind_name, _("the daily digest")
    kind = kinds.get(kind_name)
    if kind is None:
        abort(404)
    return user, kind_name, str(kind.label)


@bp.route("/unsubscribe/<token>", methods=["GET"])
@public
def unsubscribe_page(token: str) -> str:
    _user, _kind, label = _unsubscribe_target(token)
    return render_template("notifications/unsubscribe.html", token=token, label=label, done=False)


@bp.route("/unsubscribe/<token>", methods=["POST"])
@public
@csrf.exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" with no form token
def unsubscribe_now(token: str) -> str:
    user, kind_name, label = _unsubscribe_target(token)
    services.stop_mail(db.session, user, kind_name)
    db.session.commit()
    return render_template("notifications/unsubscribe.html", token=token, label=label, done=True)
