"""The organizer's view: list with search, filters, sorting and pages; detail; exports; charts."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from roadshow.applications.models import (
    ApplicantProfile,
    Application,
    ApplicationStatus,
    ProjectStage,
)
from roadshow.db import utcnow
from tests.many_events_fixtures import event_url


@pytest.fixture
def applications(db, event, make_user):
    """Five applications: three submitted (US, US, NL), one withdrawn (DE), one draft (US)."""
    ict, bio = event.tracks
    gulou, pei = event.districts
    rows = [
        ("Edge AI chips", "边缘智能芯片", ict, "US", ApplicationStatus.SUBMITTED, [gulou]),
        ("Liquid biopsy", "液体活检", bio, "US", ApplicationStatus.SUBMITTED, [pei]),
        ("=cmd|' /C calc'!A0 Perovskite", "钙钛矿", ict, "NL", ApplicationStatus.SUBMITTED, [gulou, pei]),
        ("Withdrawn robots", "机器人", bio, "DE", ApplicationStatus.WITHDRAWN, []),
        ("Half-written draft", "", None, "US", ApplicationStatus.DRAFT, []),
    ]
    made = []
    for i, (title_en, title_zh, track, country, status, districts) in enumerate(rows):
        user = make_user("applicant", name=f"Person {i}", email=f"person{i}@example.org")
        db.session.add(ApplicantProfile(user_id=user.id, name_latin=user.name, country_of_residence=country,
                                        nationality=country, institution="MIT", position="Professor"))
        application = Application(
            event_id=event.id, applicant_id=user.id, track=track, status=status, title_en=title_en,
            title_zh=title_zh, summary="A summary.", stage=ProjectStage.PROTOTYPE, team_size=5,
            funding_sought_cny=Decimal("2000000"), country=country,
            submitted_at=None if status == ApplicationStatus.DRAFT else utcnow() - timedelta(days=5 - i))
        application.districts = districts
        db.session.add(application)
        made.append(application)
    db.session.commit()
    return made


@pytest.fixture
def organizer(login_as):
    client, _ = login_as("organizer")
    return client


def titles(response) -> list[str]:
    """The sample titles on the page, in the order they appear."""
    page = response.get_data(as_text=True)
    found = [t for t in ("Edge AI chips", "Liquid biopsy", "Perovskite", "Withdrawn robots", "Half-written draft")
             if t in page]
    return sorted(found, key=page.index)


def test_list_shows_received_applications_but_not_drafts(organizer, event, applications):
    response = organizer.get(event_url(event, "/organizer/applications"))
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Edge AI chips", "Liquid biopsy", "Perovskite", "Withdrawn robots"]


def test_list_filters_by_track_country_status_and_district(organizer, event, applications):
    ict, _ = event.tracks
    _, pei = event.districts
    base = event_url(event, "/organizer/applications?")
    assert sorted(titles(organizer.get(f"{base}&track={ict.id}"))) == ["Edge AI chips", "Perovskite"]
    assert sorted(titles(organizer.get(f"{base}&country=US"))) == ["Edge AI chips", "Liquid biopsy"]
    assert titles(organizer.get(f"{base}&status=withdrawn")) == ["Withdrawn robots"]
    assert titles(organizer.get(f"{base}&status=draft")) == ["Half-written draft"]
    assert sorted(titles(organizer.get(f"{base}&district={pei.id}"))) == ["Liquid biopsy", "Perovskite"]
    assert titles(organizer.get(f"{base}&q=biopsy")) == ["Liquid biopsy"]
    assert titles(organizer.get(f"{base}&q=person0@example.org")) == ["Edge AI chips"]
    assert titles(organizer.get(f"{base}&q=钙钛矿")) == ["Perovskite"]


def test_list_sorts_and_pages(organizer, event, applications, db):
    from roadshow.applications import organizer_list

    page = organizer_list.search(db.session, event,
                                 organizer_list.ListQuery(event_id=event.id, sort="oldest", per_page=2, page=2))
    assert page.total == 4
    assert page.pages == 2
    assert [a.title_en for a in page.items] == ["=cmd|' /C calc'!A0 Perovskite", "Withdrawn robots"]
    response = organizer.get(event_url(event, "/organizer/applications?sort=title"))
    assert titles(response) == ["Perovskite", "Edge AI chips", "Liquid biopsy", "Withdrawn robots"]
    response = organizer.get(event_url(event, "/organizer/applications?sort=newest"))
    assert titles(response) == ["Withdrawn robots", "Perovskite", "Liquid biopsy", "Edge AI chips"]


def test_list_pages_offer_previous_and_next_only_where_there_is_such_a_page(organizer, event, applications,
                                                                             db, make_user):
    from roadshow.applications.organizer_list import PER_PAGE

    received = 4  # the fixture's three submitted and one withdrawn
    for i in range(PER_PAGE + 1 - received):  # one more than a page holds: two pages
        user = make_user("applicant")
        db.session.add(Application(event_id=event.id, applicant_id=user.id, title_en=f"More {i}",
                                   status=ApplicationStatus.SUBMITTED, submitted_at=utcnow()))
    db.session.commit()

    def pager(number: int) -> str:
        page = organizer.get(event_url(event, f"/organizer/applications?page={number}")).get_data(as_text=True)
        start = page.index('class="pagination')
        return page[start:page.index("</nav>", start)]

    first, last = pager(1), pager(2)
    assert "page=0" not in first
    assert '<span class="page-link" aria-disabled="true">Previous</span>' in first
    assert f'rel="next" href="/e/{event.slug}/organizer/applications?page=2' in first
    assert "page=3" not in last
    assert '<span class="page-link" aria-disabled="true">Next</span>' in last
    assert f'rel="prev" href="/e/{event.slug}/organizer/applications?page=1' in last


def test_list_submission_dates_name_their_zone(login_as, event, applications):
    for locale, header in (("en", "Submitted at (Asia/Shanghai)"), ("zh_Hans_CN", "提交时间（Asia/Shanghai）")):
        client, _ = login_as("organizer", locale=locale)
        page = client.get(event_url(event, "/organizer/applications")).get_data(as_text=True)
        assert f'<th scope="col">{header}</th>' in page


def test_detail_page_shows_project_and_applicant(organizer, applications):
    response = organizer.get(event_url(applications[0].event, f"/organizer/applications/{applications[0].id}"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Edge AI chips" in page
    assert "person0@example.org" in page
    assert "2,000,000" in page


def test_csv_export_has_every_matching_row_with_bom_and_no_formulas(organizer, event, applications):
    response = organizer.get(event_url(event, "/organizer/applications/export.csv?status=submitted"))
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="applications-test-event-')
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    # the time column names the zone its times are in
    assert header[:4] == ["ID", "Status", f"Submitted at ({event.timezone})", "Title (English)"]
    assert len(body) == 3
    by_title = {row[3]: row for row in body}
    assert by_title["Edge AI chips"][header.index("Title (Chinese)")] == "边缘智能芯片"
    # a cell that would run as a spreadsheet formula is neutralised with a leading quote
    assert "'=cmd|' /C calc'!A0 Perovskite" in by_title


def test_csv_export_names_tracks_and_districts_and_writes_plain_amounts(organizer, event, applications, db):
    applications[1].funding_sought_cny = Decimal("1250000.50")
    db.session.commit()
    response = organizer.get(event_url(event, "/organizer/applications/export.csv?status=submitted"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, by_title = rows[0], {row[3]: row for row in rows[1:]}
    edge, biopsy = by_title["Edge AI chips"], by_title["Liquid biopsy"]
    perovskite = by_title["'=cmd|' /C calc'!A0 Perovskite"]
    assert edge[header.index("Track")] == "Integrated circuits and ICT"
    assert biopsy[header.index("Track")] == "Biomedicine and health"
    # district names, clearly separated, instead of the codes "gulou pei"
    assert edge[header.index("Districts of interest")] == "Gulou District"
    assert perovskite[header.index("Districts of interest")] == "Gulou District; Pei County"
    # the amount as a spreadsheet reads it: no "2000000.0"
    assert edge[header.index("Funding sought (yuan)")] == "2000000"
    assert biopsy[header.index("Funding sought (yuan)")] == "1250000.5"


def test_export_chinese_name_column_is_empty_for_people_without_one(organizer, event, applications, db):
    profile = db.session.scalar(db.select(ApplicantProfile).where(
        ApplicantProfile.user_id == applications[1].applicant_id))
    profile.name_chinese = "李华"
    db.session.commit()
    response = organizer.get(event_url(event, "/organizer/applications/export.csv?status=submitted"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    column = rows[0].index("Name in Chinese")
    by_title = {row[3]: row[column] for row in rows[1:]}
    # the name the applicant gave in their profile; empty, never "None", for the others
    assert by_title["Liquid biopsy"] == "李华"
    assert by_title["Edge AI chips"] == ""
    response = organizer.get(event_url(event, "/organizer/applications/export.xlsx?status=submitted"))
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    names = {sheet.cell(row, 4).value: sheet.cell(row, column + 1).value
             for row in range(2, sheet.max_row + 1)}
    workbook.close()
    assert names["Liquid biopsy"] == "李华"
    assert names["Edge AI chips"] is None  # an empty cell
    assert "None" not in names.values()


def test_export_file_name_gives_the_time_in_the_events_zone(organizer, event, applications, db):
    event.timezone = "America/Argentina/Buenos_Aires"  # UTC-3: a UTC stamp would be three hours on
    db.session.commit()
    for kind in ("csv", "xlsx"):
        response = organizer.get(event_url(event, f"/organizer/applications/export.{kind}"))
        disposition = response.headers["Content-Disposition"]
        found = re.fullmatch(r'attachment; filename="applications-test-event-(\d{8}-\d{4})'
                             rf'-America-Argentina-Buenos_Aires\.{kind}"', disposition)
        assert found, disposition
        zone = ZoneInfo(event.timezone)
        stamp = datetime.strptime(found.group(1), "%Y%m%d-%H%M").replace(tzinfo=zone)
        assert abs(datetime.now(zone) - stamp) < timedelta(minutes=5)


def test_excel_export_opens_with_openpyxl(organizer, event, applications):
    response = organizer.get(event_url(event, "/organizer/applications/export.xlsx"))
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ID"
    assert len(rows) == 5  # header + four received
    assert {r[3] for r in rows[1:]} >= {"Edge AI chips", "Liquid biopsy", "Withdrawn robots"}
    assert {r[9] for r in rows[1:]} == {"US", "NL", "DE"}
    header = rows[0]
    edge = next(r for r in rows[1:] if r[3] == "Edge AI chips")
    assert edge[header.index("Track")] == "Integrated circuits and ICT"
    assert edge[header.index("Districts of interest")] == "Gulou District"
    # the amount stays a number the spreadsheet can add up
    assert edge[header.index("Funding sought (yuan)")] == 2000000
    workbook.close()


def test_export_headers_in_chinese_for_a_chinese_organizer(login_as, event, applications):
    client, _ = login_as("organizer", locale="zh_Hans_CN")
    response = client.get(event_url(event, "/organizer/applications/export.csv"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header = rows[0]
    assert "状态" in header
    perovskite = next(r for r in rows[1:] if r[4] == "钙钛矿")
    assert perovskite[header.index("赛道")] == "集成电路与信息通信"
    assert perovskite[header.index("意向板块")] == "鼓楼区; 沛县"


def test_statistics_page_draws_charts(organizer, event, applications):
    response = organizer.get(event_url(event, "/organizer/applications/statistics"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<svg") == 5
    assert "United States" in page
    assert "Integrated circuits and ICT" in page


def test_applicants_and_judges_cannot_see_the_list(login_as, event, applications):
    for role in ("applicant", "judge", "recruiter"):
        client, _ = login_as(role)
        assert client.get(event_url(event, "/organizer/applications")).status_code == 403
        assert client.get(event_url(event, "/organizer/applications/export.csv")).status_code == 403


def test_excel_export_names_the_status_in_the_readers_language(login_as, event, applications):
    client, _ = login_as("organizer", locale="zh_Hans_CN")
    response = client.get(event_url(event, "/organizer/applications/export.xlsx?status=withdrawn"))
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1] == "状态"
    assert rows[1][1] == "已撤回"
    workbook.close()
