"""The review's settings page and the judge's score form do their work in services: the typed
quotas and scores are read and checked there (scores by the rubric's own scale check), and the
pages only show what the services answer."""

from __future__ import annotations

import math
from typing import Any

import pytest

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.review import exceptions, judging, settings_and_rubric
from roadshow.review.models import SeeOtherReviews
from tests.many_events_fixtures import event_url


def _data(**changes: Any) -> settings_and_rubric.SettingsData:
    values: dict[str, Any] = {
        "judges_per_application": 2, "blind": True, "see_other_reviews": SeeOtherReviews.AFTER_SUBMIT,
        "finalist_count": 5, "recruiters_see_scores": True, "recruiters_read_decks": True,
        "track_quota": {}}
    return settings_and_rubric.SettingsData(**{**values, **changes})


def test_typed_scores_read_a_decimal_comma_and_leave_empty_ones_out(rubric: list[Any]) -> None:
    entries = judging.read_score_entries(rubric, {"innovation": " 7,5 ", "market": "8", "team": ""},
                                         complete=False)
    assert entries.values == {"innovation": 7.5, "market": 8.0, "team": None, "fit": None}
    assert entries.errors == {}
    assert entries.missing == {}


def test_typed_scores_off_the_scale_or_unreadable_are_marked_with_the_scale(rubric: list[Any]) -> None:
    entries = judging.read_score_entries(
        rubric, {"innovation": "12", "market": "0.5", "team": "seven", "fit": "10"}, complete=True)
    assert entries.errors == {code: "Enter a number from 1 to 10." for code in ("innovation", "market", "team")}
    assert math.isnan(entries.values["team"] or 0.0)
    assert entries.values["fit"] == 10.0
    # an unreadable entry is an error, not a missing score
    assert entries.missing == {}


@pytest.mark.parametrize("complete", [True, False])
def test_required_scores_left_empty_are_missing_only_when_the_review_must_be_complete(
        rubric: list[Any], complete: bool) -> None:
    entries = judging.read_score_entries(rubric, {"innovation": "1", "market": "10"}, complete=complete)
    assert entries.errors == {}
    expected = {"team": "Score this criterion to submit.", "fit": "Score this criterion to submit."}
    assert entries.missing == (expected if complete else {})


def test_typed_quotas_keep_whole_numbers_and_refuse_anything_else() -> None:
    quota, errors = settings_and_rubric.read_track_quota({1: " 3 ", 2: "", 3: "0", 4: "2.5", 5: "-1"})
    assert quota == {"1": 3}
    assert errors == {4: "Enter a whole number, or leave empty for no quota.",
                      5: "Enter a whole number, or leave empty for no quota."}


def test_saving_settings_stores_every_field(event: Any, organizer: Any) -> None:
    saved = settings_and_rubric.save_settings(db.session, organizer, event, _data(track_quota={"1": 2, "2": 3}))
    db.session.commit()
    assert saved is settings_and_rubric.get_settings(db.session, event)
    assert (saved.judges_per_application, saved.blind, saved.see_other_reviews, saved.finalist_count,
            saved.recruiters_see_scores, saved.recruiters_read_decks, saved.track_quota) == (
        2, True, SeeOtherReviews.AFTER_SUBMIT, 5, True, True, {"1": 2, "2": 3})


def test_quotas_adding_up_to_more_than_the_finalists_are_refused_and_nothing_changes(
        event: Any, organizer: Any) -> None:
    before = settings_and_rubric.get_settings(db.session, event)
    old = (before.judges_per_application, before.finalist_count, dict(before.track_quota or {}))
    with pytest.raises(exceptions.ReviewError) as refused:
        settings_and_rubric.save_settings(db.session, organizer, event,
                                          _data(finalist_count=4, track_quota={"1": 3, "2": 2}))
    assert refused.value.message == "The track quotas add up to more than the number of finalists."
    after = settings_and_rubric.get_settings(db.session, event)
    assert (after.judges_per_application, after.finalist_count, dict(after.track_quota or {})) == old


def test_the_settings_page_keeps_a_wrong_quota_and_says_what_to_type(login_as: Any, event: Any,
                                                                       organizer: Any) -> None:
    client, _user = login_as(organizer)
    ict, bio = event.tracks
    page = client.post(event_url(event, "/review/settings"), data={
        "judges_per_application": "2", "see_other_reviews": "never", "finalist_count": "6",
        f"quota-{ict.id}": "two", f"quota-{bio.id}": "3"}).get_data(as_text=True)
    assert "Enter a whole number, or leave empty for no quota." in page
    assert 'value="two"' in page
    assert settings_and_rubric.get_settings(db.session, event).track_quota == {}


def test_the_settings_page_refuses_quotas_over_the_finalists_and_saves_good_ones(login_as: Any, event: Any,
                                                                                  organizer: Any) -> None:
    client, _user = login_as(organizer)
    ict, bio = event.tracks
    form = {"judges_per_application": "2", "see_other_reviews": "never", "finalist_count": "4",
            f"quota-{ict.id}": "3", f"quota-{bio.id}": "2"}
    page = client.post(event_url(event, "/review/settings"), data=form).get_data(as_text=True)
    assert "The track quotas add up to more than the number of finalists." in page
    assert settings_and_rubric.get_settings(db.session, event).finalist_count != 4
    response = client.post(event_url(event, "/review/settings"), data={**form, "finalist_count": "5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(event_url(event, "/review/settings"))
    settings = settings_and_rubric.get_settings(db.session, event)
    assert (settings.finalist_count, settings.track_quota) == (5, {str(ict.id): 3, str(bio.id): 2})


def test_the_settings_page_is_for_organizers(login_as: Any, make_user: Any, event: Any) -> None:
    client, _user = login_as(make_user(Role.JUDGE))
    assert client.post(event_url(event, "/review/settings"), data={"finalist_count": "1"}).status_code == 403


def test_typed_settings_refuse_a_quota_that_is_not_a_whole_number_by_its_track(event: Any, organizer: Any) -> None:
    ict, bio = event.tracks
    with pytest.raises(exceptions.FieldsError) as refused:
        settings_and_rubric.save_typed_settings(db.session, organizer, event, _data(), {ict.id: "2", bio.id: "1.5"})
    assert refused.value.fields == {bio.id: "Enter a whole number, or leave empty for no quota."}
    assert settings_and_rubric.get_settings(db.session, event).finalist_count != 5
    saved = settings_and_rubric.save_typed_settings(db.session, organizer, event, _data(), {ict.id: " 2", bio.id: ""})
    assert (saved.finalist_count, saved.track_quota) == (5, {str(ict.id): 2})
    assert settings_and_rubric.quota_as_typed(saved, [ict.id, bio.id]) == {ict.id: "2", bio.id: ""}


def test_typed_review_off_the_scale_saves_nothing_and_marks_the_criterion(
        rubric: list[Any], make_application: Any, make_user: Any, assign: Any) -> None:
    judge = make_user(Role.JUDGE)
    application = make_application()
    assign(application, judge)
    with pytest.raises(exceptions.FieldsError) as refused:
        judging.save_typed_review(db.session, judge, application, {"innovation": "11", "market": "5"}, submit=True)
    assert refused.value.message == ("Some scores are off the scale; nothing was saved. "
                                     "Please correct the marked fields.")
    # the scale's error, and the required criteria left empty, since it was to be submitted
    assert refused.value.fields == {"innovation": "Enter a number from 1 to 10.",
                                    "team": "Score this criterion to submit.", "fit": "Score this criterion to submit."}
    assert judging.find_review(db.session, judge, application) is None


def test_typed_review_stays_submitted_and_complete_whichever_button_saves_it(
        rubric: list[Any], make_application: Any, make_user: Any, assign: Any) -> None:
    judge = make_user(Role.JUDGE)
    application = make_application()
    assign(application, judge)
    full = {c.code: "6,5" for c in rubric}
    review = judging.save_typed_review(db.session, judge, application, full, submit=True)
    db.session.commit()
    assert review.status.value == "submitted"
    assert {s.value for s in review.scores} == {6.5}
    with pytest.raises(exceptions.FieldsError) as refused:
        judging.save_typed_review(db.session, judge, application, {**full, "team": ""}, submit=False)
    assert refused.value.fields == {"team": "Score this criterion to submit."}
    db.session.rollback()
    again = judging.save_typed_review(db.session, judge, application, {**full, "team": "9"}, submit=False)
    assert again.status.value == "submitted"
    assert again.total is not None
    assert again.total > review_total_of(rubric, 6.5)


def review_total_of(rubric: list[Any], value: float) -> float:
    return settings_and_rubric.scoring.weighted_total({c.code: value for c in rubric},
                                                      settings_and_rubric.specs_of(rubric)) or 0.0
