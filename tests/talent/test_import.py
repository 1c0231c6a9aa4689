"""Importing people from a spreadsheet: upload, columns, preview with errors and duplicates,
the officer's choice (merge / keep both / skip), the job, and the history of every change."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from roadshow.accounts.roles import Role
from roadshow.extensions import db
from roadshow.jobs.models import Job, JobStatus
from roadshow.organisations.models import OrganisationMember, OrganisationRole
from roadshow.talent import jobs as talent_jobs
from roadshow.talent.models import Change, Person, Source
from roadshow.talent.services import imports
from tests.many_events_fixtures import build_organisation, org_url
from tests.talent.records import add_person

pytestmark = pytest.mark.no_default_organisation

CSV = (
    "姓名,英文名,手机,邮箱,籍贯,出生年份,工作单位,职务,学历\n"
    "张伟,Wei Zhang,13800138000,zw@example.org,江苏省苏州市吴中区,1985,Siemens,Engineer,博士\n"
    "李娜,,13900139000,new-li@example.org,吴中区,1990,MIT,Professor,硕士\n"
    "王芳,Fang Wang,13700137000,wf@example.org,吴中区,1988,Tsinghua,,本科\n"
    ",,13600136000,,,,Nameless Inc,,\n"
    "赵磊,,13500135000,not-an-address,Atlantis,1979,BMW,,\n"
    "王芳,,13700137000,,,,Tsinghua,,\n"
)
CSV_BYTES = CSV.encode("utf-8")


@pytest.fixture
def world(app, make_user):
    organizer = make_user(Role.ORGANIZER, email="a@example.org")
    office = build_organisation(db.session, "office-a", organizers=(organizer,))
    other = build_organisation(db.session, "office-b")
    return {
        "organizer": organizer, "office": office, "other": other,
        # same e-mail as row 2; an empty position and title the file may fill
        "zhang": add_person(office, name_zh="张伟", email="zw@example.org", employer="BMW"),
        # close name, same native place and birth year as row 3
        "li": add_person(office, name_zh="李娜", native_code="320506", birth_year=1990,
                         employer="Harvard"),
        # another office's record with row 4's phone: no duplicate across offices
        "theirs": add_person(other, name_zh="王芳", phone="13700137000"),
    }


def _upload(client, office, name="people.csv", data=CSV_BYTES):
    return client.post(org_url(office, "/talent/imports"),
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _token(response) -> str:
    return re.search(r"/talent/imports/([A-Za-z0-9_-]+)/", response.headers["Location"]).group(1)


def test_import_with_duplicates_merges_and_errors(world, login_as):
    client, organizer = login_as(world["organizer"])
    office = world["office"]
    uploaded = _upload(client, office)
    assert uploaded.status_code == 302
    token = _token(uploaded)
    columns = client.get(org_url(office, f"/talent/imports/{token}/columns"))
    assert columns.status_code == 200
    # the suggested mapping is selected
    assert re.search(r'name="column-0">.*?<option value="name_zh" selected', columns.text, re.S)
    mapping = {f"column-{i}": name for i, name in enumerate(
        ["name_zh", "name_en", "phone", "email", "native_place", "birth_year", "employer",
         "position", "degree"])}
    mapped = client.post(org_url(office, f"/talent/imports/{token}/columns"),
                         data={**mapping, "default_category": "high_level"})
    assert mapped.status_code == 302
    preview = client.get(org_url(office, f"/talent/imports/{token}/preview"))
    text = preview.text
    assert preview.status_code == 200
    # errors per row, in the reader's language
    assert "No name: give the name" in text
    assert "“not-an-address” is not an e-mail address." in text
    assert "“Atlantis” is no county or city we know" in text
    # the duplicates, with the record they match
    zhang, li = world["zhang"], world["li"]
    assert 'data-row="2"' in text
    assert f'/talent/people/{zhang.id}"' in text
    assert 'data-row="3"' in text
    assert f'/talent/people/{li.id}"' in text
    assert 'data-row="7"' in text
    assert "The same person as row 4 of this file." in text
    assert "Employer: BMW → Siemens" in text   # a differing value is shown, not taken
    # merge row 2 (taking the file's employer), keep both for row 3, skip row 7
    run = client.post(org_url(office, f"/talent/imports/{token}/run"), data={
        "action-2": "merge", "take-2": "employer", "action-3": "keep", "action-7": "skip"})
    assert run.status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert run.headers["Location"].endswith(f"/jobs/{job.id}")
    db.session.refresh(job)
    assert job.status == JobStatus.DONE
    assert job.summary["created"] == 2
    assert job.summary["merged"] == 1
    assert (job.summary["skipped"], job.summary["invalid"]) == (1, 2)
    status = client.get(f"/jobs/{job.id}")
    assert 'data-count="created">2<' in status.text
    # "Back" leads to the office's people, where the imported records now are
    assert f'href="{org_url(office, "/talent/people")}"' in status.text
    db.session.expire_all()
    merged = db.session.get(Person, zhang.id)
    assert (merged.employer, merged.position, merged.phone, merged.name_en) == (
        "Siemens", "Engineer", "13800138000", "Wei Zhang")
    changed = {c.field: (c.old_value, c.new_value, c.reason) for c in db.session.scalars(
        select(Change).where(Change.person_id == zhang.id))}
    assert changed["employer"] == ("BMW", "Siemens", "merge")
    assert changed["position"] == ("", "Engineer", "merge")
    kept = db.session.get(Person, li.id)
    assert (kept.employer, kept.email) == ("Harvard", None)   # keep both: untouched
    new = db.session.scalars(select(Person).where(Person.organisation_id == office.id,
                                                  Person.source == Source.IMPORT)).all()
    assert sorted(p.name_zh for p in new) == ["李娜", "王芳"]
    wang = next(p for p in new if p.name_zh == "王芳")
    assert (wang.native_code, wang.birth_year, wang.degree.value) == ("320506", 1988, "bachelor")
    history = db.session.scalars(select(Change).where(Change.person_id == wang.id)).all()
    assert [(c.reason, c.new_value) for c in history] == [("import", "people.csv, row 4")]
    # the other office's record is neither matched nor touched
    assert db.session.get(Person, world["theirs"].id).employer == ""


def test_a_merge_does_not_overwrite_without_a_tick(world, login_as):
    client, _ = login_as(world["organizer"])
    office = world["office"]
    data = b"Name,Email,Employer\nWei Zhang,zw@example.org,Siemens\n"
    token = _token(_upload(client, office, data=data))
    client.post(org_url(office, f"/talent/imports/{token}/columns"),
                data={"column-0": "name_en", "column-1": "email", "column-2": "employer",
                      "default_category": "business"})
    client.post(org_url(office, f"/talent/imports/{token}/run"), data={"action-2": "merge"})
    person = db.session.get(Person, world["zhang"].id)
    db.session.refresh(person)
    assert person.employer == "BMW"              # differing: kept as it was
    assert person.name_en == "Wei Zhang"         # empty: filled


def test_excel_upload_and_bad_files(world, login_as):
    client, _ = login_as(world["organizer"])
    office = world["office"]
    book = Workbook()
    book.active.append(["Name", "Mobile"])
    book.active.append(["Anna Müller", 4915112345678])
    out = io.BytesIO()
    book.save(out)
    token = _token(_upload(client, office, "people.xlsx", out.getvalue()))
    page = client.get(org_url(office, f"/talent/imports/{token}/columns"))
    assert "Anna Müller" in page.text
    assert "4915112345678" in page.text
    refused = _upload(client, office, "people.pdf", b"%PDF-1.4")
    assert refused.status_code == 200
    assert "Upload a CSV file (.csv) or an Excel workbook (.xlsx)." in refused.text
    gbk = _upload(client, office, "gbk.csv", "姓名\n张三\n".encode("gb18030"))
    assert gbk.status_code == 302


def test_a_mapping_without_a_name_is_refused(world, login_as):
    client, _ = login_as(world["organizer"])
    office = world["office"]
    token = _token(_upload(client, office))
    refused = client.post(org_url(office, f"/talent/imports/{token}/columns"),
                          data={"column-2": "phone", "default_category": "business"})
    assert refused.status_code == 422
    assert "Choose the column that holds the name" in refused.text


def test_imports_belong_to_their_office(world, login_as, make_user):
    client, _ = login_as(world["organizer"])
    token = _token(_upload(client, world["office"]))
    stranger = make_user(Role.ORGANIZER, email="b@example.org")
    other = world["other"]
    db.session.add(OrganisationMember(organisation_id=other.id, user_id=stranger.id,
                                      role=OrganisationRole.ORGANIZER))
    db.session.commit()
    their_client, _ = login_as(stranger)
    assert their_client.get(org_url(world["office"], f"/talent/imports/{token}/columns")
                            ).status_code == 403
    assert their_client.get(org_url(other, f"/talent/imports/{token}/columns")).status_code == 404
    assert client.get(org_url(world["office"], "/talent/imports/not-a-token/columns")
                      ).status_code == 404


def test_an_interrupted_import_resumes_at_its_position(world, app):
    root = Path(app.config["UPLOAD_FOLDER"])
    office, organizer = world["office"], world["organizer"]
    data = "Name,Email\nAda One,1@example.org\nBo Two,2@example.org\nCy Three,3@example.org\n"
    staged = imports.stage(root, organizer, office, "three.csv", data.encode())
    imports.prepare(db.session, staged, ["name_en", "email"], "business")
    imports.save(root, staged)
    # the first batch (row 2) was committed before the worker stopped
    job = Job(kind=talent_jobs.IMPORT, actor_id=organizer.id, total=3, status=JobStatus.RUNNING,
              params={"token": staged.token, "organisation_id": office.id, "next": 1,
                      "outcome": {"created": 1}})
    db.session.add(job)
    db.session.commit()
    steps = []
    summary = talent_jobs.run_import(job, lambda done, total: steps.append((done, total)))
    assert summary["created"] == 3
    assert steps[0] == (1, 3)
    assert steps[-1] == (3, 3)
    names = db.session.scalars(select(Person.name_en).where(Person.organisation_id == office.id,
                                                            Person.source == Source.IMPORT))
    assert sorted(names) == ["Bo Two", "Cy Three"]   # row 2 was the earlier attempt's
    assert imports.load(root, staged.token, office.id) is None   # done: the upload is gone
