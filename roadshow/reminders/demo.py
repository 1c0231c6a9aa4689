"""Demo step: the printed organizers find this morning's digest of their events' funnel in
their notification centre, as the every-minute run made it at 08:00 in their zone (in the app
only: the demo mails nobody). It comes after the other steps, so it counts what they made."""

from __future__ import annotations

from roadshow.demo.context import DemoContext
from roadshow.reminders.funnel import organised_events, send_to, this_morning

TITLE = "Funnel digests"


def load(ctx: DemoContext) -> None:
    organisers = organised_events(ctx.session)
    people = [ctx.data.get(key) for key in ("organizer", "organizer_xiao")]
    people = [person for person in people if person is not None and person.id in organisers]
    for n, person in enumerate(people, start=1):
        when = this_morning(person.timezone, ctx.now)
        send_to(ctx.session, person, organisers[person.id], when, email=False)
        ctx.progress(TITLE, n, len(people))
    ctx.session.flush()
