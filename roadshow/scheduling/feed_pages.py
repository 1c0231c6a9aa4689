"""Calendar feeds: the personal subscription (its page, revoking it, the feed itself) and the
event's public feed."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.access import public, requires
from roadshow.events.loaders import current_event_or_404
from roadshow.events.models import Event
from roadshow.extensions import db
from roadshow.scheduling import feeds
from roadshow.scheduling.blueprint import bp, ics_response

_event = current_event_or_404


@bp.route("/feed")
@requires("schedule.view")
def feed_page() -> str:
    event = _event()
    token = feeds.feed_token(db.session, current_user)
    db.session.commit()
    return render_template("scheduling/feed.html", event=event, token=token,
                           feed_url=url_for("scheduling.feed", token=token.token, _external=True),
                           public_url=url_for("scheduling.event_feed", event_id=event.id, _external=True))


@bp.route("/feed/revoke", methods=["POST"])
@requires("schedule.view")
def feed_revoke() -> Response:
    feeds.revoke_feed_token(db.session, current_user)
    db.session.commit()
    flash(_("The old subscription link no longer works. Subscribe again with the new link below."), "success")
    return redirect(url_for("scheduling.feed_page"))


@bp.route("/feed/<token>.ics")
@public
def feed(token: str) -> Response:
    user = feeds.user_by_feed_token(db.session, token)
    if user is None:
        abort(404)
    data = feeds.personal_feed(db.session, user)
    db.session.commit()
    return ics_response(data, "roadshow.ics", inline=True)


@bp.route("/events/<int:event_id>.ics")
@public
def event_feed(event_id: int) -> Response:
    event = db.session.get(Event, event_id)
    if event is None or not event.published:
        abort(404)
    return ics_response(feeds.public_feed(db.session, event), f"{event.slug}.ics", inline=True)
