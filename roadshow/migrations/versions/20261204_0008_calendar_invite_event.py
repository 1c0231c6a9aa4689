"""calendar invites name their event (issue 13, many events)

A ``calendar_invites`` row reached its event only through its session and slot, which are set
to NULL when the session is deleted; the next sending of *any* event then took up such rows and
sent (or withheld) their cancellations. The row now carries ``event_id`` itself.

The backfill finds each row's event, in this order:

1. its session's event;
2. its slot's session's event;
3. the session or slot whose calendar UID (``<uid>@roadshow``) is the row's UID;
4. a pitch UID ``pitch-<event_id>-<application_id>@roadshow`` names its event (if it still
   exists);
5. another row of the same UID whose event was found (a UID belongs to one event): when a
   session is deleted its slots go with it and every row of its UIDs loses its session, but a
   row of the same UID may still be attributed by one of the above.

Rows left without an event are deleted. That is safe: their session (and its slots) no longer
exist, so no sending will ever ask for the entry again; either its cancellation was sent already
(the row is a record of a CANCEL), or it can no longer be addressed, since which event's
organizer would send it, in whose time zone, cannot be told. Before this revision such a row
was cancelled by whichever event sent next, which was the bug. How many rows were deleted is
logged.

The downgrade drops the column; the rows stay.

Revision ID: 0008_calendar_invite_event
Revises: 0007_many_events
Create Date: 2026-12-04 18:00:00

"""
import logging
import re
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_calendar_invite_event'
down_revision = '0007_many_events'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

PITCH_UID = re.compile(r'^pitch-(\d+)-\d+@roadshow$')
UID_SUFFIX = '@roadshow'

# lightweight tables for the data moves (the models may change after this revision)
_invites = sa.table('calendar_invites', sa.column('id', sa.Integer), sa.column('uid', sa.String),
                    sa.column('session_id', sa.Integer), sa.column('slot_id', sa.Integer),
                    sa.column('event_id', sa.Integer))
_sessions = sa.table('pitch_sessions', sa.column('id', sa.Integer),
                     sa.column('event_id', sa.Integer), sa.column('uid', sa.String))
_slots = sa.table('schedule_slots', sa.column('id', sa.Integer),
                  sa.column('session_id', sa.Integer), sa.column('uid', sa.String))
_events = sa.table('events', sa.column('id', sa.Integer))


def upgrade():
    with op.batch_alter_table('calendar_invites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
    _backfill()
    with op.batch_alter_table('calendar_invites', schema=None) as batch_op:
        batch_op.alter_column('event_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_calendar_invites_event_id'), ['event_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_calendar_invites_event_id_events'), 'events',
                                    ['event_id'], ['id'], ondelete='CASCADE')


def _backfill():
    bind = op.get_bind()
    rows = bind.execute(sa.select(_invites.c.id, _invites.c.uid, _invites.c.session_id,
                                  _invites.c.slot_id).order_by(_invites.c.id)).all()
    if not rows:
        return
    events = set(bind.execute(sa.select(_events.c.id)).scalars())
    session_event = {}
    uid_event = {}
    for session_id, event_id, uid in bind.execute(
            sa.select(_sessions.c.id, _sessions.c.event_id, _sessions.c.uid)):
        session_event[session_id] = event_id
        uid_event[f'{uid}{UID_SUFFIX}'] = event_id
    slot_event = {}
    for slot_id, session_id, uid in bind.execute(
            sa.select(_slots.c.id, _slots.c.session_id, _slots.c.uid)):
        event_id = session_event.get(session_id)
        if event_id is not None:
            slot_event[slot_id] = event_id
            uid_event.setdefault(f'{uid}{UID_SUFFIX}', event_id)

    def found(row):
        if row.session_id in session_event:
            return session_event[row.session_id]
        if row.slot_id in slot_event:
            return slot_event[row.slot_id]
        if row.uid in uid_event:
            return uid_event[row.uid]
        pitch = PITCH_UID.match(row.uid or '')
        if pitch and int(pitch.group(1)) in events:
            return int(pitch.group(1))
        return None

    event_of = {row.id: found(row) for row in rows}
    # a UID belongs to one event: a row of it that was attributed attributes the others
    by_uid = {}
    for row in rows:
        if event_of[row.id] is not None:
            by_uid.setdefault(row.uid, event_of[row.id])
    for row in rows:
        if event_of[row.id] is None:
            event_of[row.id] = by_uid.get(row.uid)

    ids_of_event = defaultdict(list)
    for row_id, event_id in event_of.items():
        ids_of_event[event_id].append(row_id)
    lost = ids_of_event.pop(None, [])
    for event_id, ids in sorted(ids_of_event.items()):
        for start in range(0, len(ids), 500):
            bind.execute(_invites.update().where(_invites.c.id.in_(ids[start:start + 500]))
                         .values(event_id=event_id))
    if lost:
        log.warning('Deleted %s calendar invite row(s) of deleted sessions whose event cannot be '
                    'told (ids %s%s); their cancellations were sent or cannot be addressed',
                    len(lost), lost[:20], '...' if len(lost) > 20 else '')
        for start in range(0, len(lost), 500):
            bind.execute(_invites.delete().where(_invites.c.id.in_(lost[start:start + 500])))


def downgrade():
    with op.batch_alter_table('calendar_invites', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calendar_invites_event_id_events'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_calendar_invites_event_id'))
        batch_op.drop_column('event_id')
