"""The second half of revision 0002's upgrade: the tables of the later stages that refer to the
first half's (calendar invites, the live room's records, scores, RSVPs, the signing records) and
the application columns it adds. Split from the revision so no module holds over 600 lines; the
statements are Alembic's, unchanged, run in the same order."""
import sqlalchemy as sa
from alembic import op

import roadshow.db


def create_stage_tables():
    op.create_table('calendar_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum('REQUEST', 'CANCEL', name='invite_method'), nullable=False),
    sa.Column('starts_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('sent_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['pitch_sessions.id'], name=op.f('fk_calendar_invites_session_id_pitch_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slot_id'], ['schedule_slots.id'], name=op.f('fk_calendar_invites_slot_id_schedule_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_invites_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_invites')),
    sa.UniqueConstraint('user_id', 'uid', name=op.f('uq_calendar_invites_user_id_uid'))
    )
    with op.batch_alter_table('calendar_invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_invites_uid'), ['uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_invites_user_id'), ['user_id'], unique=False)

    op.create_table('live_chat_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_live_chat_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_live_chat_messages_deleted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_chat_messages_room_id_live_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_chat_messages'))
    )
    with op.batch_alter_table('live_chat_messages', schema=None) as batch_op:
        batch_op.create_index('ix_live_chat_room_id', ['room_id', 'id'], unique=False)

    op.create_table('live_docking_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('interest', 'talk', name='live_docking_kind'), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('meeting_starts_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('meeting_ends_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('meeting_url', sa.String(length=500), nullable=False),
    sa.Column('meeting_uid', sa.String(length=120), nullable=False),
    sa.Column('meeting_sequence', sa.Integer(), nullable=False),
    sa.Column('invited_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_live_docking_requests_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_live_docking_requests_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_live_docking_requests_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recruiter_id'], ['users.id'], name=op.f('fk_live_docking_requests_recruiter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_docking_requests_room_id_live_rooms'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_docking_requests')),
    sa.UniqueConstraint('application_id', 'district_id', 'kind', name=op.f('uq_live_docking_requests_application_id_district_id_kind'))
    )
    with op.batch_alter_table('live_docking_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_docking_requests_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_docking_requests_event_id'), ['event_id'], unique=False)

    op.create_table('live_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('audience', sa.String(length=80), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_live_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_events_room_id_live_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_events')),
    sa.UniqueConstraint('room_id', 'actor_id', 'action_id', name=op.f('uq_live_events_room_id_actor_id_action_id')),
    sa.UniqueConstraint('room_id', 'seq', name=op.f('uq_live_events_room_id_seq'))
    )
    op.create_table('live_mutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('muted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['muted_by_id'], ['users.id'], name=op.f('fk_live_mutes_muted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_mutes_room_id_live_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_mutes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_mutes')),
    sa.UniqueConstraint('room_id', 'user_id', name=op.f('uq_live_mutes_room_id_user_id'))
    )
    op.create_table('live_presence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('connected_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_presence_room_id_live_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_presence_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_presence')),
    sa.UniqueConstraint('sid', name=op.f('uq_live_presence_sid'))
    )
    with op.batch_alter_table('live_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_presence_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_presence_seen_at'), ['seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_presence_user_id'), ['user_id'], unique=False)

    op.create_table('live_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'answered', 'hidden', name='live_question_status'), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_live_questions_application_id_applications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_live_questions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_questions_room_id_live_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_questions'))
    )
    with op.batch_alter_table('live_questions', schema=None) as batch_op:
        batch_op.create_index('ix_live_questions_room_status', ['room_id', 'status'], unique=False)

    op.create_table('review_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['review_criteria.id'], name=op.f('fk_review_scores_criterion_id_review_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_scores_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_scores')),
    sa.UniqueConstraint('review_id', 'criterion_id', name=op.f('uq_review_scores_review_id_criterion_id'))
    )
    with op.batch_alter_table('review_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_scores_review_id'), ['review_id'], unique=False)

    op.create_table('schedule_rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('needs-action', 'accepted', 'declined', 'tentative', name='rsvp_status'), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('updated_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['pitch_sessions.id'], name=op.f('fk_schedule_rsvps_session_id_pitch_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['schedule_slots.id'], name=op.f('fk_schedule_rsvps_slot_id_schedule_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_schedule_rsvps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_rsvps')),
    sa.UniqueConstraint('user_id', 'uid', name=op.f('uq_schedule_rsvps_user_id_uid'))
    )
    with op.batch_alter_table('schedule_rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_rsvps_uid'), ['uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_rsvps_user_id'), ['user_id'], unique=False)

    op.create_table('signing_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intent_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=400), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_signing_audit_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intent_id'], ['signing_intents.id'], name=op.f('fk_signing_audit_intent_id_signing_intents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_audit')),
    sa.UniqueConstraint('intent_id', 'seq', name=op.f('uq_signing_audit_intent_id_seq'))
    )
    op.create_table('signing_intent_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intent_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('draft_fields', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_signing_intent_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intent_id'], ['signing_intents.id'], name=op.f('fk_signing_intent_versions_intent_id_signing_intents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_intent_versions')),
    sa.UniqueConstraint('intent_id', 'number', name=op.f('uq_signing_intent_versions_intent_id_number'))
    )
    op.create_table('signing_signers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intent_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('applicant', 'district', 'city', name='signer_role'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'signed', 'declined', name='signer_state'), nullable=False),
    sa.Column('first_viewed_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notified_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acted_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('typed_name', sa.String(length=200), nullable=False),
    sa.Column('signature_png', sa.LargeBinary(), nullable=True),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=400), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['intent_id'], ['signing_intents.id'], name=op.f('fk_signing_signers_intent_id_signing_intents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signing_signers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_signers')),
    sa.UniqueConstraint('intent_id', 'position', name=op.f('uq_signing_signers_intent_id_position'))
    )
    with op.batch_alter_table('signing_signers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_signers_user_id'), ['user_id'], unique=False)

    op.create_table('live_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['live_questions.id'], name=op.f('fk_live_votes_question_id_live_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_votes')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_live_votes_question_id_user_id'))
    )
    with op.batch_alter_table('live_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_votes_question_id'), ['question_id'], unique=False)

    op.create_table('signing_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['signer_id'], ['signing_signers.id'], name=op.f('fk_signing_codes_signer_id_signing_signers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_codes'))
    )
    with op.batch_alter_table('signing_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_codes_signer_id'), ['signer_id'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_form_token', sa.String(length=64), nullable=False))
        batch_op.create_index('ix_applications_event_country', ['event_id', 'country'], unique=False)
        batch_op.create_index('ix_applications_event_submitted', ['event_id', 'submitted_at'], unique=False)
