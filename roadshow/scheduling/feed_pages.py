"""Calendar feeds: the personal subscription (its page, revoking it, the feed itself), which
holds the person's entries of every event and so lives outside any event, and each event's
public feed."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from roadshow.access import public, requires
from roadshow.events.scope import E
from roadshow.extensions import db
from roadshow.scheduling import feeds
from roadshow.scheduling.blueprint import bp, ics_response, this_event


@bp.route("/schedule/feed")
@requires("schedule.view")
def feed_page() -> str:
    token = feeds.feed_token(db.session, current_user)
    events = [event for event in feeds.events_with_entries(db.session, current_user)
              if event.published]
    db.session.commit()
    return render_template(
        "scheduling/feed.html", token=token, events=events,
        feed_url=url_for("scheduling.feed", token=token.token, _external=True),
        public_urls={event.id: url_for("scheduling.event_feed", event_slug=event.slug, _external=True)
                     for event in events})


@bp.route("/schedule/feed/revoke", methods=["POST"])
@requires("schedule.view")
def feed_revoke() -> Response:
    feeds.revoke_feed_token(db.session, current_user)
    db.session.commit()
    flash(_("The old subscription link no longer works. Subscribe again with the new link below."), "success")
    return redirect(url_for("scheduling.feed_page"))


@bp.route("/schedule/feed/<token>.ics")
@public
def feed(token: str) -> Response:
    user = feeds.user_by_feed_token(db.session, token)
    if user is None:
        abort(404)
    data = feeds.personal_feed(db.session, user)
    db.session.commit()
    return ics_response(data, "roadshow.ics", inline=True)


@bp.route(f"{E}/schedule.ics")
@public
def event_feed() -> Response:
    event = this_event()
    if not event.published:
        abort(404)
    return ics_response(feeds.public_feed(db.session, event), f"{event.slug}.ics", inline=True)
