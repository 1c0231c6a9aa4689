"""Export of a selection (Excel, CSV) and the charts: the access log names the exporter,
contact details go only to those who may see them, withdrawn people are in neither."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.db import utcnow
from roadshow.extensions import db
from roadshow.talent.models import AccessLogEntry
from roadshow.talent.services import exports
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person, appoint, build_station

pytestmark = pytest.mark.no_default_organisation


@pytest.fixture
def world(app, make_user):
    organizer = make_user(Role.ORGANIZER, email="a@example.org")
    office = build_organisation(db.session, "office-a", organizers=(organizer,))
    other = build_organisation(db.session, "office-b")
    station = build_station(office, "shanghai")
    withdrawn = add_person(office, name_zh="退出者", employer="Gone Ltd", category="student")
    withdrawn.withdrawn_at = utcnow()
    db.session.commit()
    return {
        "organizer": organizer, "office": office, "station": station,
        "zhang": add_person(office, station, name_zh="张伟", name_en="Wei Zhang",
                            employer="=HYPERLINK(\"x\")", email="zw@example.org",
                            phone="13800138000", residence_country="US", degree="doctorate",
                            native_code="320506", category="high_level"),
        "li": add_person(office, name_zh="李娜", employer="MIT", residence_country="CN",
                         residence_city="上海", category="business"),
        "theirs": add_person(other, name_zh="乙方人", employer="Other office"),
    }


def test_xlsx_export_of_the_selection_names_the_exporter(world, login_as):
    client, organizer = login_as(world["organizer"])
    response = client.get(org_url(world["office"], "/talent/people.xlsx"),
                          query_string={"q": "zhang"})
    assert response.status_code == 200
    assert response.mimetype == exports.XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[1] == "Name in Chinese characters"
    assert "Email" in header
    assert "Phone" in header
    assert len(rows) == 2
    person = dict(zip(header, rows[1], strict=True))
    assert (person["Name in Chinese characters"], person["Email"], person["Phone"]) == (
        "张伟", "zw@example.org", "13800138000")
    assert person["Employer"] == '=HYPERLINK("x")'    # text, not a formula
    assert person["Highest degree"] == "Doctorate"
    entry = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.action == "export")).one()
    assert entry.user_id == organizer.id
    assert entry.detail.startswith("xlsx; 1 people; q=zhang")


def test_csv_export_leaves_out_withdrawn_and_other_offices(world, login_as):
    client, _ = login_as(world["organizer"])
    response = client.get(org_url(world["office"], "/talent/people.csv"))
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    names = sorted(row[1] for row in rows[1:])
    assert names == ["张伟", "李娜"]
    assert "退出者" not in text
    assert "乙方人" not in text
    assert "'=HYPERLINK" in text   # a formula typed by someone is neutralised


def test_contact_columns_only_for_those_who_may_see_them(world):
    labels = exports.Labels(chinese=False, locale="en", category=str, degree=str, source=str,
                            gender=str)
    with_contacts = exports.row(world["zhang"], labels, True)
    without = exports.row(world["zhang"], labels, False)
    assert "zw@example.org" in with_contacts
    assert "zw@example.org" not in without
    assert "13800138000" not in without
    assert [name for name, _ in exports.columns(False)][-1] == "confirmed_on"


def test_station_officers_may_not_export(world, login_as, make_user):
    officer = make_user(Role.APPLICANT, email="officer@example.org")
    appoint(world["station"], officer)
    client, _ = login_as(officer)
    assert client.get(org_url(world["office"], "/talent/people.csv")).status_code == 403
    assert client.get(org_url(world["office"], "/talent/charts")).status_code == 200


def test_unknown_export_format_is_404(world, login_as):
    client, _ = login_as(world["organizer"])
    assert client.get(org_url(world["office"], "/talent/people.pdf")).status_code == 404


def test_charts_count_the_active_people_of_the_office(world, login_as):
    client, _ = login_as(world["organizer"])
    page = client.get(org_url(world["office"], "/talent/charts"))
    assert page.status_code == 200
    text = page.text
    assert "<svg" in text
    assert "2 people in this selection." in text
    assert "High-level talents" in text
    assert "Business people" in text
    assert ">Students</text>" not in text  # the withdrawn student is not counted
    assert ">Business people</text>" in text
    assert "United States" in text
    assert "Shanghai" in text              # living in China, by province
    assert "Wuzhong" in text               # native county
    assert f"{utcnow():%Y-%m}" in text     # growth per month
    filtered = client.get(org_url(world["office"], "/talent/charts"),
                          query_string={"category": "business"})
    assert "1 person in this selection." in filtered.text
