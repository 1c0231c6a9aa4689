"""The reminders' notification kinds (issue 17): a finalist's pitch and a session its judges
and recruiters attend (a day and an hour before), a review window closing on a judge's open
reviews, a signature waiting too long, a call closing on an applicant's incomplete draft, the
live room's device check two days before a finalist's session, the organizers' daily digest
of their events' funnel (roadshow.reminders.funnel) and the judges' weekly digest of their open
reviews (roadshow.reminders.judge_digest).

Each names its mail template (``templates/reminders/mail/<name>``); the mail is rendered in the
recipient's language and zone, and the line in the centre in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from roadshow.notifications import kinds

PITCH = kinds.register(kinds.NotificationKind(
    "reminder_pitch", _l("Reminders of my pitch (a day and an hour before)"),
    _l("Your pitch of “%(project)s” in %(event)s starts at %(when)s."), audience="applicant"))
SESSION = kinds.register(kinds.NotificationKind(
    "reminder_session", _l("Reminders of the pitch sessions I attend (a day and an hour before)"),
    _l("The pitch session “%(session)s” of %(event)s starts at %(when)s."),
    audience="everyone"))  # its judges and its districts' recruiters
REVIEW_CLOSING = kinds.register(kinds.NotificationKind(
    "reminder_review_closing", _l("Reminders before the review closes"),
    _l("The review of %(event)s closes at %(when)s; reviews still open: %(num)s."),
    audience="judge"))
SIGNATURE_OVERDUE = kinds.register(kinds.NotificationKind(
    "reminder_signature_overdue", _l("Reminders of an intent waiting too long for my signature"),
    _l("The intent of cooperation %(ref)s (“%(project)s”) has waited for your signature since "
       "%(when)s."), audience="everyone", essential=True))
CALL_CLOSING = kinds.register(kinds.NotificationKind(
    "reminder_call_closing", _l("Reminders before the call closes on my unsent application"),
    _l("The call of %(event)s closes at %(when)s; your application “%(project)s” is not sent yet."),
    audience="applicant"))
DEVICE_CHECK = kinds.register(kinds.NotificationKind(
    "reminder_device_check",
    _l("The device check before my live session (two days before)"),
    _l("Check your camera and microphone before the live session “%(session)s” of %(event)s, "
       "which starts at %(when)s."), audience="applicant"))
FUNNEL_DIGEST = kinds.register(kinds.NotificationKind(
    "funnel_digest", _l("The daily digest of my events' funnel (at 08:00)"),
    _l("Your events' funnel since yesterday (%(date)s): new applications: %(applications)s; "
       "reviews submitted: %(reviews)s, still open: %(open)s; new finalists: %(finalists)s; "
       "milestones overdue: %(overdue)s; failed jobs: %(failed)s."), audience="organizer"))
JUDGE_DIGEST = kinds.register(kinds.NotificationKind(
    "judge_weekly_digest", _l("The weekly digest of my open reviews (Monday at 08:00)"),
    _l("Reviews still open for you this week: %(num)s, in %(events)s event(s)."),
    audience="judge"))

#: the kind and mail template of each reminder decided by roadshow.reminders.due
KIND_OF = {
    "pitch24": PITCH.name, "pitch1": PITCH.name,
    "session24": SESSION.name, "session1": SESSION.name,
    "review_closing": REVIEW_CLOSING.name,
    "signature_overdue": SIGNATURE_OVERDUE.name,
    "call_closing": CALL_CLOSING.name,
    "device_check": DEVICE_CHECK.name,
}
TEMPLATE_OF = {
    "pitch24": "reminders/mail/pitch", "pitch1": "reminders/mail/pitch",
    "session24": "reminders/mail/session", "session1": "reminders/mail/session",
    "review_closing": "reminders/mail/review_closing",
    "signature_overdue": "reminders/mail/signature_overdue",
    "call_closing": "reminders/mail/call_closing",
    "device_check": "reminders/mail/device_check",
}
