"""Who may open what, written out by hand: endpoint -> permission -> roles.

tests/core/test_access_matrix.py walks every route and derives what to expect from
``PERMISSIONS`` itself, so widening a permission there passes it. This snapshot does not: a new
endpoint, an endpoint moved to another permission, or a role added to (or taken from) a
permission fails here until the table below is changed in the same commit, where a reviewer
sees it. A permission that guards no endpoint fails too: declare only what is enforced.
"""

from __future__ import annotations

import pytest
from flask import Flask, g, url_for
from werkzeug.exceptions import NotFound

from roadshow.access import (
    EXEMPT_ENDPOINT_PREFIXES,
    PERMISSIONS,
    PUBLIC,
    deny,
    permission_of,
    public,
    requires,
    role_may,
    roles_may,
    user_may,
)
from roadshow.accounts.roles import Role
from roadshow.events.scope import load_scope, pull_scope

ORGANIZER, JUDGE, RECRUITER, APPLICANT, ADMIN = (Role.ORGANIZER, Role.JUDGE, Role.RECRUITER,
                                                 Role.APPLICANT, Role.ADMIN)
#: held in an office by an appointment to one of its liaison stations (issue 14)
STATION = Role.STATION
#: every role held in an event; ADMIN is held by platform administrators only
EVERY_ROLE = frozenset({ORGANIZER, JUDGE, RECRUITER, APPLICANT})

PERMISSION_ROLES: dict[str, frozenset[Role]] = {
    "account.use": EVERY_ROLE | {ADMIN},
    "platform.manage": frozenset({ADMIN}),
    "organisations.manage": frozenset({ORGANIZER}),
    "reports.view": frozenset({ORGANIZER}),
    "organizer.manage": frozenset({ORGANIZER}),
    "districts.manage": frozenset({ORGANIZER}),
    "districts.view": frozenset({ORGANIZER, RECRUITER}),
    "mail.manage": frozenset({ADMIN}),
    "events.manage": frozenset({ORGANIZER}),
    "applications.apply": frozenset({APPLICANT}),
    "applications.view_all": frozenset({ORGANIZER}),
    "review.judge": frozenset({JUDGE}),
    "review.manage": frozenset({ORGANIZER}),
    "docking.recruit": frozenset({RECRUITER}),
    "schedule.view": EVERY_ROLE,
    "schedule.manage": frozenset({ORGANIZER}),
    "schedule.availability": frozenset({JUDGE, RECRUITER, APPLICANT}),
    "live.join": EVERY_ROLE,
    "live.docking": frozenset({ORGANIZER, RECRUITER, APPLICANT}),
    "live.arrange": frozenset({ORGANIZER, RECRUITER}),
    "signing.draft": frozenset({ORGANIZER, RECRUITER}),
    "signing.sign": EVERY_ROLE,
    "jobs.view": EVERY_ROLE | {ADMIN},
    "jobs.oversee": frozenset({ORGANIZER, ADMIN}),
    "talent.view": frozenset({ORGANIZER, STATION}),
    "talent.contact": frozenset({ORGANIZER, STATION}),
    "talent.manage": frozenset({ORGANIZER}),
    "outcomes.manage": frozenset({ORGANIZER}),
    "outcomes.follow": frozenset({ORGANIZER, RECRUITER}),
    "demands.enter": frozenset({ORGANIZER, RECRUITER}),
    "demands.manage": frozenset({ORGANIZER}),
    "demands.match": frozenset({ORGANIZER, RECRUITER}),
    "messages.send": frozenset({ORGANIZER}),
}

ENDPOINTS_BY_PERMISSION: dict[str, tuple[str, ...]] = {
    "public": (
        "accounts.accept_invitation", "accounts.forgot_password", "accounts.login",
        "accounts.logout", "accounts.register", "accounts.resend_verification",
        "accounts.reset_password", "accounts.verify", "applications.answer_file",
        "applications.deck", "applications.deck_preview", "core.health", "core.home",
        "core.set_language", "events.detail", "legacy.old_link", "scheduling.event_feed",
        "scheduling.feed",
        "signing.certificate", "signing.verify", "signing.verify_intent",
        "talent.join",
        "notifications.unsubscribe_now", "notifications.unsubscribe_page",
        "demands.catalogue", "demands.catalogue_export",
    ),
    "account.use": (
        "accounts.change_password", "accounts.profile", "accounts.sign_out_everywhere",
        "applications.apply_current", "applications.mine", "applications.profile",
        "core.dashboard", "legacy.choose_event",
        "talent.correct_mine", "talent.erase_mine", "talent.mine", "talent.mine_json",
        "talent.withdraw_mine",
        "notifications.centre", "notifications.mark_all_read", "notifications.mark_read",
        "notifications.open_one", "notifications.preferences",
        "group_messages.read",
    ),
    "platform.manage": (
        "organisations.admin_alliances", "organisations.admin_create", "organisations.admin_join",
        "organisations.admin_list",
    ),
    "organisations.manage": (
        "organisations.alliance", "organisations.members", "organisations.remove_member",
        "organisations.revoke_share", "organisations.settings", "organisations.share",
        "wording.office_edit",
        "wording.office_list",
    ),
    "reports.view": (
        "reports.alliance_reports", "reports.alliance_workbook", "reports.organisation_home",
        "reports.organisation_reports", "reports.organisation_workbook",
    ),
    "applications.apply": (
        "applications.form", "applications.status", "applications.withdraw",
    ),
    "applications.view_all": (
        "applications.detail", "applications.export_csv", "applications.export_xlsx",
        "applications.manage", "applications.statistics",
    ),
    "districts.manage": (
        "districts.create", "districts.delete", "districts.edit",
    ),
    "districts.view": (
        "districts.index", "districts.show",
    ),
    "docking.recruit": (
        "review.docking", "review.docking_application",
    ),
    "events.manage": (
        "events.archive", "events.copy", "events.create", "events.delete_question", "events.edit",
        "events.manage", "events.manage_list", "events.questions", "events.unarchive",
        "wording.event_edit",
        "wording.event_list",
        "recordings.set_recording",
    ),
    "jobs.oversee": (
        "jobs.index",
    ),
    "jobs.view": (
        "jobs.progress", "jobs.status",
    ),
    "live.arrange": (
        "live.arrange_meeting",
    ),
    "live.docking": (
        "live.answer_request", "live.docking_board",
    ),
    "live.join": (
        "live.deck_page", "live.index", "live.room",
        "recordings.answer_consent",
        "recordings.captions_file",
        "recordings.download_recording",
        "recordings.list_recordings",
        "recordings.show_recording",
        "recordings.upload_captions",
    ),
    "mail.manage": (
        "mail.index", "mail.retry_all", "mail.retry_one", "mail.show",
    ),
    "organizer.manage": (
        "accounts.bulk_invitation_template", "accounts.bulk_invitations_page",
        "accounts.deactivate", "accounts.event_people", "accounts.invitations", "accounts.people",
        "accounts.person",
        "accounts.reactivate", "accounts.resend_confirmation", "accounts.resend_invitation",
        "accounts.revoke_invitation", "accounts.send_bulk_invitations",
    ),
    "review.judge": (
        "review.declare_conflict", "review.my_profile", "review.queue", "review.score",
    ),
    "review.manage": (
        "review.application", "review.assignment", "review.assignment_remove", "review.close",
        "review.conflict_action", "review.conflicts", "review.criterion_delete",
        "review.criterion_edit", "review.criterion_move", "review.decision_clear",
        "review.docking_overview", "review.export_csv", "review.export_xlsx", "review.judge_edit",
        "review.judges", "review.override", "review.overview", "review.ranking", "review.rubric",
        "review.rubric_standard", "review.selection", "review.selection_changes", "review.send",
        "review.settings",
    ),
    "schedule.availability": (
        "scheduling.attendance", "scheduling.availability",
    ),
    "schedule.manage": (
        "scheduling.manage", "scheduling.pin", "scheduling.place", "scheduling.propose",
        "scheduling.publish", "scheduling.send", "scheduling.session_delete",
        "scheduling.session_form", "scheduling.swap", "scheduling.unpublish",
    ),
    "schedule.view": (
        "scheduling.feed_page", "scheduling.feed_revoke", "scheduling.index", "scheduling.rsvp",
        "scheduling.session_ics", "scheduling.slot_ics",
    ),
    "signing.draft": (
        "signing.cancel_intent", "signing.edit_intent", "signing.new_intent",
        "signing.remind_signers", "signing.send_intent",
    ),
    "signing.sign": (
        "signing.board", "signing.decline_intent", "signing.download_pdf", "signing.preview_pdf",
        "signing.send_code", "signing.sign_intent", "signing.signature_image",
        "signing.view_intent",
    ),
    "talent.view": (
        "talent.callbacks", "talent.industry_list", "talent.overview", "talent.person",
        "talent.station", "talent.station_list",
        "talent.charts", "talent.delete_search", "talent.people", "talent.save_search",
        "talent.saved_searches",
    ),
    "talent.contact": (
        "talent.confirm_person", "talent.edit_person", "talent.invite_people",
        "talent.log_contact", "talent.new_person",
    ),
    "talent.manage": (
        "talent.appoint_member", "talent.create_industry", "talent.create_station",
        "talent.end_member", "talent.link_station_event", "talent.unlink_station_event",
        "talent.export_people", "talent.map_import", "talent.preview_import",
        "talent.run_import", "talent.upload_import",
        "talent.erase_person",
        "talent.revoke_pool_share", "talent.share_pool", "talent.shared_person",
        "talent.sharing",
    ),
    "outcomes.manage": (
        "outcomes.assign", "outcomes.board", "outcomes.board_workbook", "outcomes.confirm",
        "outcomes.send_back", "outcomes.templates",
    ),
    "outcomes.follow": (
        "outcomes.document", "outcomes.evidence", "outcomes.project", "outcomes.projects_list",
        "outcomes.task", "outcomes.tasks_list",
    ),
    # one endpoint a line: the catalogue's pages and the matching pages are written apart
    "demands.enter": (
        "demands.demand_page",
        "demands.new_demand",
        "demands.round_export",
        "demands.round_page",
        "demands.rounds",
        "demands.submit_demand",
        "demands.withdraw_demand",
    ),
    "demands.manage": (
        "demands.delete_resource",
        "demands.detach_from_call",
        "demands.edit_resource",
        "demands.event_call",
        "demands.new_resource",
        "demands.open_round",
        "demands.publish_round",
        "demands.resources",
        "demands.review_demand",
        "demands.round_entry",
    ),
    "demands.match": (
        "demands.accept_match",
        "demands.application_matches",
        "demands.chain_map",
        "demands.chain_maps",
        "demands.chain_maps_workbook",
        "demands.demand_matches",
        "demands.person_matches",
        "demands.project_list",
        "demands.reject_match",
        "demands.restore_match",
        "demands.update_project",
    ),
    "messages.send": (
        "group_messages.compose",
        "group_messages.index",
        "group_messages.message",
    ),
}


def _actual_endpoints(app: Flask) -> dict[str, str | None]:
    return {endpoint: permission_of(endpoint) for endpoint in app.view_functions
            if not endpoint.startswith(EXEMPT_ENDPOINT_PREFIXES)}


def test_every_permission_grants_exactly_the_roles_written_here():
    assert set(PERMISSIONS) == set(PERMISSION_ROLES), "a permission was added or removed"
    widened = {name: sorted(PERMISSIONS[name] - roles) for name, roles in PERMISSION_ROLES.items()
               if PERMISSIONS[name] - roles}
    narrowed = {name: sorted(roles - PERMISSIONS[name]) for name, roles in PERMISSION_ROLES.items()
                if roles - PERMISSIONS[name]}
    assert widened == {}, "roles added to a permission"
    assert narrowed == {}, "roles taken from a permission"


def test_every_endpoint_requires_exactly_the_permission_written_here(app):
    expected = {endpoint: permission for permission, endpoints in ENDPOINTS_BY_PERMISSION.items()
                for endpoint in endpoints}
    actual = _actual_endpoints(app)
    assert sorted(set(actual) - set(expected)) == [], "endpoints missing from this table"
    assert sorted(set(expected) - set(actual)) == [], "endpoints in this table no longer exist"
    moved = {endpoint: (expected[endpoint], actual[endpoint]) for endpoint in actual
             if actual[endpoint] != expected[endpoint]}
    assert moved == {}, "endpoint: (permission written here, permission it now requires)"


def test_every_permission_guards_at_least_one_endpoint(app):
    assert sorted(set(PERMISSIONS) - set(ENDPOINTS_BY_PERMISSION)) == []
    assert sorted(set(PERMISSIONS) - set(_actual_endpoints(app).values())) == []


def test_each_role_reaches_exactly_these_endpoints_without_public_ones(app):
    actual = _actual_endpoints(app)
    reach = {role: sorted(e for e, p in actual.items() if p not in (None, PUBLIC)
                          and role_may(role, p)) for role in Role}
    written = {role: sorted(e for p, endpoints in ENDPOINTS_BY_PERMISSION.items()
                            if p != PUBLIC and role in PERMISSION_ROLES[p] for e in endpoints)
               for role in Role}
    assert reach == written


# --- the functions that enforce the table -----------------------------------------------------------

def test_role_may_lets_anyone_reach_public_and_nobody_anonymous_reach_the_rest():
    assert role_may(None, PUBLIC)
    assert role_may(APPLICANT, PUBLIC)
    assert not role_may(None, "account.use")
    assert role_may(JUDGE, "review.judge")
    assert not role_may(ORGANIZER, "review.judge")


def test_requires_refuses_an_undeclared_permission():
    with pytest.raises(KeyError, match="unknown permission 'review.everything'"):
        requires("review.everything")


def test_requires_and_public_mark_the_view_they_decorate():
    def view():
        return "ok"

    assert requires("mail.manage")(view) is view
    assert view.required_permission == "mail.manage"
    assert public(view) is view
    assert view.required_permission == PUBLIC


def test_user_may_follows_the_signed_in_users_role(app, login_as, make_event):
    make_event()  # the judge judges in the default office's events
    with app.test_request_context():
        assert user_may(PUBLIC)
        assert not user_may("account.use")  # anonymous
    client, judge = login_as(JUDGE)
    with client:
        client.get("/")
        assert user_may("review.judge")
        assert user_may(PUBLIC)
        assert not user_may("review.manage")


def _add_probe_routes(app: Flask) -> None:
    def undeclared():
        return "undeclared"

    def judges_only():
        return "judges only"

    def not_yours():
        deny("not yours")

    app.add_url_rule("/_probe/undeclared", "probe_undeclared", undeclared)
    app.add_url_rule("/_probe/judges", "probe_judges", requires("review.judge")(judges_only))
    app.add_url_rule("/_probe/deny", "probe_deny", requires("account.use")(not_yours))
    app.add_url_rule("/_probe/deny-public", "probe_deny_public", public(lambda: deny("nobody")))


def test_a_view_that_declares_no_permission_answers_403_even_to_organizers(app, login_as):
    _add_probe_routes(app)
    assert app.test_client().get("/_probe/undeclared").status_code == 403
    client, _ = login_as(ORGANIZER)
    assert client.get("/_probe/undeclared").status_code == 403


def test_a_guarded_view_sends_anonymous_visitors_to_sign_in_and_refuses_other_roles(app, login_as,
                                                                                   make_event):
    _add_probe_routes(app)
    make_event()
    anonymous = app.test_client().get("/_probe/judges")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    client, _ = login_as(RECRUITER)
    assert client.get("/_probe/judges").status_code == 403
    client, _ = login_as(JUDGE)
    response = client.get("/_probe/judges")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "judges only"


def test_static_files_need_no_permission(app):
    response = app.test_client().get("/static/css/live.css")
    assert response.status_code == 200
    response.close()


def _refusals(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "roadshow.access"]


def test_a_refusal_for_an_undeclared_permission_is_logged_with_the_path_and_endpoint(app, caplog):
    _add_probe_routes(app)
    with caplog.at_level("WARNING", logger="roadshow.access"):
        app.test_client().get("/_probe/undeclared")
    assert _refusals(caplog) == [
        "refused /_probe/undeclared: endpoint probe_undeclared declares no permission"]


def test_a_refusal_by_role_is_logged_with_who_asked_for_what(app, login_as, caplog, make_event):
    _add_probe_routes(app)
    make_event()
    client, recruiter = login_as(RECRUITER)
    with caplog.at_level("WARNING", logger="roadshow.access"):
        client.get("/_probe/judges")
    assert _refusals(caplog) == [
        f"refused GET /_probe/judges to user {recruiter.id} (recruiter): needs review.judge"]


def test_deny_answers_403_and_logs_the_reason(app, login_as, caplog):
    _add_probe_routes(app)
    client, user = login_as(APPLICANT)
    with caplog.at_level("WARNING", logger="roadshow.access"):
        assert client.get("/_probe/deny").status_code == 403
    assert f"refused GET /_probe/deny to user {user.id}: not yours" in _refusals(caplog)


def test_deny_refuses_an_anonymous_visitor_with_403_not_an_error(app, caplog):
    _add_probe_routes(app)
    with caplog.at_level("WARNING", logger="roadshow.access"):
        assert app.test_client().get("/_probe/deny-public").status_code == 403
    assert _refusals(caplog) == ["refused GET /_probe/deny-public to user None: nobody"]


# --- permissions in the scope of the URL (issue 13) ------------------------------------------------

def test_roles_may_asks_whether_any_role_holds_the_permission():
    assert roles_may(frozenset({APPLICANT, JUDGE}), "review.judge")
    assert not roles_may(frozenset({APPLICANT}), "review.judge")
    assert not roles_may(frozenset(), "account.use")
    assert roles_may(frozenset(), PUBLIC)
    assert roles_may(frozenset({ADMIN}), "platform.manage")
    assert not roles_may(frozenset({ORGANIZER}), "platform.manage")


def _add_scoped_probes(app: Flask) -> None:
    def scoped_view():
        return f"{g.event.slug} of {g.organisation.slug}"

    def scoped_page():
        return scoped_view()

    def change():
        return "changed"

    app.add_url_rule("/e/<event_slug>/_probe/judges", "probe_event_judges",
                     requires("review.judge")(scoped_view))
    app.add_url_rule("/e/<event_slug>/_probe/change", "probe_event_change",
                     requires("account.use")(change), methods=["GET", "POST"])
    app.add_url_rule("/e/<event_slug>/_probe/page", "probe_event_page", public(scoped_page))


def test_a_permission_is_held_in_the_event_of_the_url(app, login_as, make_organisation, make_event,
                                                      grant):
    _add_scoped_probes(app)
    a1 = make_event(make_organisation("office-a"), slug="a1")
    b1 = make_event(make_organisation("office-b"), slug="b1")
    client, judge = login_as(APPLICANT)
    grant(judge, a1, JUDGE)
    response = client.get("/e/a1/_probe/judges")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "a1 of office-a"
    assert client.get("/e/b1/_probe/judges").status_code == 403
    assert client.get("/e/nowhere/_probe/judges").status_code == 404
    with client:
        client.get("/e/b1/_probe/page")
        assert not user_may("review.judge")
        assert user_may("review.judge", event=a1)
        assert user_may("review.judge", event=a1.id)
        assert not user_may("review.judge", event=b1)


def test_an_event_that_does_not_run_a_stage_has_no_pages_of_it(app, make_event):
    make_event(slug="with-programme")
    make_event(slug="no-programme", kind="symposium", stage_schedule=False)

    def load(endpoint: str, values: dict[str, str]) -> None:
        pull_scope(endpoint, values)
        load_scope()

    with app.test_request_context("/"):
        values = {"event_slug": "with-programme"}
        load("scheduling.index", values)
        assert values == {}
        assert g.event.slug == "with-programme"
        with pytest.raises(NotFound):
            load("scheduling.index", {"event_slug": "no-programme"})
        with pytest.raises(NotFound):
            load("review.queue", {"event_slug": "no-programme"})  # a symposium has no review
        load("events.detail", {"event_slug": "no-programme"})  # the event itself is there
        assert g.event.slug == "no-programme"


def test_an_archived_event_reads_but_refuses_every_change(app, login_as, make_event):
    _add_scoped_probes(app)
    make_event(slug="old", phase="finished", archived=True)
    client, _ = login_as(ORGANIZER)
    assert client.get("/e/old/_probe/change").status_code == 200
    refused = client.post("/e/old/_probe/change")
    assert refused.status_code == 403
    assert "This event is archived and can no longer be changed." in refused.get_data(as_text=True)
    zh, _ = login_as(ORGANIZER, locale="zh_Hans_CN")
    assert "本活动已归档，不能再修改。" in zh.post("/e/old/_probe/change").get_data(as_text=True)


def test_an_unpublished_event_exists_only_for_its_staff(app, login_as, make_event, client):
    _add_scoped_probes(app)
    make_event(slug="draft", published=False)
    assert client.get("/e/draft/_probe/page").status_code == 404
    applicant, _ = login_as(APPLICANT)
    assert applicant.get("/e/draft/_probe/page").status_code == 404
    organizer, _ = login_as(ORGANIZER)
    assert organizer.get("/e/draft/_probe/page").status_code == 200


def test_url_for_inside_an_event_page_fills_in_the_event(app, make_event):
    make_event(slug="here")
    make_event(slug="there")
    with app.test_request_context("/e/here/schedule/"):
        app.preprocess_request()
        assert url_for("scheduling.index") == "/e/here/schedule/"
        assert url_for("scheduling.index", event_slug="there") == "/e/there/schedule/"
    with app.test_request_context("/dashboard"):
        assert url_for("scheduling.index", event_slug="there") == "/e/there/schedule/"
