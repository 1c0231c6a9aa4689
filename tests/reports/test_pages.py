"""The office's home and the reports of an office and of an alliance (issue 13, §4): figures
checked against the rows they count, an alliance's report leaving unshared events out, the
workbook holding numbers as numbers, and the filters."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import event as sa_event

from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.organisations.models import AllianceMember
from tests.many_events_fixtures import org_url


def localized_title(event) -> str:
    return event.title_en


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _row_of(page: str, title: str) -> list[str]:
    """The funnel cells of the table row naming ``title``."""
    row = next(r for r in page.split("<tr>") if title in r)
    return re.findall(r'data-stage="[a-z_]+">([^<]*)</td>', row)


def test_the_office_home_groups_its_events_by_state_with_each_funnel(
        login_as, make_event, make_district, fill, default_office):
    district = make_district()
    last_year = make_event(phase="finished", title_en="Roadshow 2025")
    this_year = make_event(phase="review", title_en="Roadshow 2026")
    fill(last_year, ["finalist", "finalist", "submitted"], ["DE", "US", "DE"], district=district,
         pitched=2, signed=1)
    fill(this_year, ["submitted", "draft"], ["JP", "JP"], district=district)
    client, _organizer = login_as("organizer")
    page = client.get(org_url(default_office, "/")).get_data(as_text=True)
    text = _text(page)
    assert text.index("Finished") < text.index("Roadshow 2025")
    assert text.index("In review") < text.index("Roadshow 2026")
    # no project has landed yet (landed projects: tests/outcomes/test_board.py)
    assert _row_of(page, "Roadshow 2025") == ["3", "2", "2", "2", "1", "0"]
    assert _row_of(page, "Roadshow 2026") == ["1", "1", "0", "0", "0", "0"]


def test_the_office_report_counts_by_district_track_year_and_country(
        login_as, make_event, make_district, fill, default_office):
    gulou, pei = make_district(name_en="Gulou District"), make_district(name_en="Pei County")
    first = make_event(phase="finished", title_en="Roadshow A")
    second = make_event(phase="finished", title_en="Roadshow B")
    a = fill(first, ["finalist", "finalist", "submitted"], ["DE", "US", "DE"], district=gulou,
             signed=1, drafted=1, track=("ai", "人工智能", "Artificial intelligence"))
    b = fill(second, ["finalist", "not_selected"], ["DE", "CA"], district=pei,
             track=("ai", "人工智能", "Artificial intelligence"))
    client, _organizer = login_as("organizer")
    page = client.get(org_url(default_office, "/reports")).get_data(as_text=True)
    text = _text(page)
    # by district: interests, docking requests, intents, signed, as the rows hold them
    assert f"Gulou District {len(a.interests)} {len(a.requests)} {len(a.intents)} 1" in text
    assert f"Pei County {len(b.interests)} {len(b.requests)} 0 0" in text
    # by track: the same code in two events counts together
    assert "Artificial intelligence 5 3" in text
    # by country: submitted applications per country of residence
    assert "Germany 3" in text
    assert "Canada 1" in text
    assert "<svg" in page  # the charts are drawn on the server


def test_the_workbook_holds_the_reports_figures_as_numbers(
        login_as, make_event, make_district, fill, default_office):
    district = make_district(name_en="Gulou District")
    event = make_event(phase="finished", title_en="Roadshow A")
    fill(event, ["finalist", "submitted"], ["DE", "US"], district=district, pitched=1, signed=1)
    client, _organizer = login_as("organizer")
    response = client.get(org_url(default_office, "/reports.xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Events", "Districts", "Tracks", "Years", "Countries"]
    events = list(book["Events"].iter_rows(values_only=True))
    assert events[0][:6] == ("Event", "Slug", "Kind", "Year", "State", "Applications")
    assert events[1][0] == "Roadshow A"
    assert events[1][5:] == (2, 2, 1, 1, 1, 0)
    assert all(isinstance(value, int) for value in events[1][5:10])
    districts = list(book["Districts"].iter_rows(values_only=True))
    assert districts[1] == ("Gulou District", 1, 1, 1, 1)
    assert (utcnow().year - 1) <= events[1][3] <= utcnow().year


def test_the_report_filters_by_year_and_kind_and_refuses_what_is_not_one(
        login_as, make_event, default_office):
    make_event(phase="finished", title_en="The roadshow")
    make_event(kind="symposium", phase="call", title_en="The symposium")
    client, _organizer = login_as("organizer")
    symposia = client.get(org_url(default_office, "/reports?kind=symposium")).get_data(as_text=True)
    assert "The symposium" in symposia
    assert "The roadshow" not in symposia
    refused = client.get(org_url(default_office, "/reports?year=soon&kind=fair"))
    assert refused.status_code == 400
    text = _text(refused.get_data(as_text=True))
    assert "“soon” is not a year. Showing every year." in text
    assert "“fair” is not a kind of event. Showing every kind." in text
    assert "The roadshow" in text
    assert "The symposium" in text
    nothing = client.get(org_url(default_office, "/reports?year=1999")).get_data(as_text=True)
    assert "No event matches" in nothing


def test_another_offices_organizer_cannot_open_the_reports(login_as, make_user, make_organisation,
                                                          default_office):
    stranger = make_user("applicant", name="Other office")
    make_organisation(organizers=(stranger,))
    client, _user = login_as(stranger)
    for path in ("/", "/reports", "/reports.xlsx"):
        assert client.get(org_url(default_office, path)).status_code == 403


def test_the_alliance_report_holds_only_the_events_shared_with_it(
        login_as, make_user, make_organisation, make_event, make_alliance, make_share,
        make_district, fill):
    organizer_a, organizer_b = make_user("applicant", name="A"), make_user("applicant", name="B")
    office_a = make_organisation(organizers=(organizer_a,))
    office_b = make_organisation(organizers=(organizer_b,))
    alliance = make_alliance(office_a, office_b)
    district = make_district()
    shared = make_event(office_a, phase="finished", title_en="Shared report")
    private = make_event(office_a, phase="finished", title_en="Kept to itself")
    joint = make_event(office_b, phase="call", title_en="Joint roadshow", alliance=alliance)
    revoked = make_event(office_b, phase="finished", title_en="Shared once")
    make_share(alliance, office_a, "event_report", shared)
    make_share(alliance, office_b, "event_report", revoked).revoked_at = utcnow()
    db.session.commit()
    fill(shared, ["finalist", "submitted"], ["DE", "US"], district=district, signed=1)
    fill(private, ["finalist"] * 4, ["FR"] * 4, district=district, signed=3)
    client, _user = login_as(organizer_b)
    page = client.get(f"/a/{alliance.slug}/reports").get_data(as_text=True)
    assert "Shared report" in page
    assert "Joint roadshow" in page
    assert "Kept to itself" not in page
    assert "Shared once" not in page
    assert "France" not in page  # nothing of the unshared event, not even in the totals
    assert _row_of(page, "Shared report") == ["2", "2", "1", "0", "1", "0"]
    book = load_workbook(io.BytesIO(client.get(f"/a/{alliance.slug}/reports.xlsx").data))
    titles = [row[0] for row in book["Events"].iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == ["Joint roadshow", "Shared report"]
    countries = [row[1] for row in book["Countries"].iter_rows(min_row=2, values_only=True)]
    assert "FR" not in countries
    outsider, _user = login_as("organizer")  # of the default office, not in the alliance
    assert outsider.get(f"/a/{alliance.slug}/reports").status_code == 403
    # office A co-organises B's joint event: its home lists it apart from its own events
    home_a, _user = login_as(organizer_a)
    page_a = home_a.get(org_url(office_a, "/")).get_data(as_text=True)
    joint_section = page_a.split('id="joint-events"', 1)[1]
    assert localized_title(joint) in joint_section
    assert "Kept to itself" not in joint_section
    # an office that leaves the alliance takes its shared reports with it
    db.session.execute(db.update(AllianceMember).where(
        AllianceMember.alliance_id == alliance.id, AllianceMember.organisation_id == office_a.id
    ).values(left_at=utcnow()))
    db.session.commit()
    after = client.get(f"/a/{alliance.slug}/reports").get_data(as_text=True)
    assert "Shared report" not in after
    assert "Joint roadshow" in after


def test_the_reports_read_in_chinese(login_as, make_event, default_office):
    make_event(phase="finished", title_zh="去年的路演", title_en="Last year's roadshow")
    client, _organizer = login_as("organizer", locale="zh_Hans_CN")
    page = _text(client.get(org_url(default_office, "/reports")).get_data(as_text=True))
    assert "去年的路演" in page
    assert "各活动的漏斗数据" in page
    assert "已签意向书" in page
    book = load_workbook(io.BytesIO(client.get(org_url(default_office, "/reports.xlsx")).data))
    assert book.sheetnames == ["活动", "板块", "赛道", "年份", "国家"]


def test_the_office_home_asks_as_many_queries_for_eight_events_as_for_two(
        login_as, make_event, make_district, fill, default_office):
    district = make_district()
    client, _organizer = login_as("organizer")

    def statements_for_home() -> int:
        seen: list[str] = []

        def count(*args) -> None:
            seen.append(args[2])

        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(org_url(default_office, "/")).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    for phase in ("finished", "call"):
        fill(make_event(phase=phase), ["finalist", "submitted"], ["DE", "US"], district=district,
             pitched=1, signed=1)
    two = statements_for_home()
    for phase in ("finished", "call", "review", "roadshow", "signing", "call"):
        fill(make_event(phase=phase), ["finalist", "submitted"], ["DE", "US"], district=district,
             pitched=1, signed=1)
    assert statements_for_home() == two
