"""What group messages tell people (issue 17): each recipient the message itself, and the
organizer who sent it that it went out."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from roadshow.notifications import kinds

RECEIVED = kinds.register(kinds.NotificationKind(
    "group_message", _l("Messages from the organizers"),
    _l("%(sender)s wrote to you: “%(subject)s”"), audience="everyone"))
SENT = kinds.register(kinds.NotificationKind(
    "group_message_sent", _l("My messages to groups, when they have gone out"),
    _l("Your message “%(subject)s” went out to %(num)s people."), audience="organizer"))
