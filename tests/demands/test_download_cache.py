"""The public catalogue's downloads are drawn once per version of what they show and then read
from their file in the instance folder: the second download of an unchanged catalogue is the
stored file, each language has its own, and a withdrawn demand or a renamed district makes a new
file that shows the change (the older one of the same download is removed)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from roadshow.demands import catalogue, download_cache
from roadshow.extensions import db
from tests.demands.test_catalogue import ORGANIZER
from tests.demands.test_pages import OFFICE, _published, office  # noqa: F401 - the fixture


def _folder(app, round_) -> Path:
    return Path(app.instance_path) / "cache" / "catalogue" / str(round_.organisation_id)


def _titles(data: bytes) -> list[str]:
    rows = load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)
    return [row[3] for row in list(rows)[1:]]


def _publish_two(office):  # noqa: F811 - the fixture's value
    gulou, taijiang, _recruiter, _organizer, round_ = office
    chip = _published(round_, gulou.id, title_zh="芯片设计工程师", title_en="Chip design engineer")
    battery = _published(round_, taijiang.id, title_zh="电池材料专家",
                         title_en="Battery materials expert")
    catalogue.publish(db.session, round_, ORGANIZER)
    db.session.commit()
    return round_, chip, battery


def test_the_second_download_of_an_unchanged_catalogue_is_the_stored_file(app, client, office):  # noqa: F811
    round_, _chip, _battery = _publish_two(office)
    url = f"{OFFICE}/catalogue/{round_.id}.pdf?lang=zh"
    first = client.get(url)
    assert first.status_code == 200
    assert first.data.startswith(b"%PDF")
    stored = list(_folder(app, round_).glob("*.pdf"))
    assert len(stored) == 1
    assert stored[0].read_bytes() == first.data
    # what the file holds is what the next visitor gets: nothing is drawn again
    stored[0].write_bytes(b"%PDF-1.4 the stored file")
    second = client.get(url)
    assert second.status_code == 200
    assert second.data == b"%PDF-1.4 the stored file"
    assert second.mimetype == "application/pdf"
    assert "catalogue" in second.headers["Content-Disposition"]


def test_each_language_and_format_has_its_own_file(app, client, office):  # noqa: F811
    round_, _chip, _battery = _publish_two(office)
    english = client.get(f"{OFFICE}/catalogue/{round_.id}.xlsx?lang=en")
    chinese = client.get(f"{OFFICE}/catalogue/{round_.id}.xlsx?lang=zh")
    assert sorted(_titles(english.data)) == ["Battery materials expert", "Chip design engineer"]
    assert sorted(_titles(chinese.data)) == ["电池材料专家", "芯片设计工程师"]
    client.get(f"{OFFICE}/catalogue/{round_.id}.pdf?lang=en")
    names = sorted(path.name for path in _folder(app, round_).iterdir())
    assert len(names) == 3
    assert sum("-en-" in name and name.endswith(".xlsx") for name in names) == 1
    assert sum("-zh-" in name and name.endswith(".xlsx") for name in names) == 1
    assert sum("-en-" in name and name.endswith(".pdf") for name in names) == 1
    # the same English workbook again: from its file, the same bytes
    assert client.get(f"{OFFICE}/catalogue/{round_.id}.xlsx?lang=en").data == english.data


def test_a_withdrawn_demand_makes_a_new_file_without_it(app, client, office):  # noqa: F811
    round_, chip, _battery = _publish_two(office)
    url = f"{OFFICE}/catalogue/{round_.id}.xlsx?lang=en"
    before = client.get(url)
    assert "Chip design engineer" in _titles(before.data)
    (old,) = _folder(app, round_).glob("*.xlsx")
    catalogue.withdraw(db.session, chip, ORGANIZER)
    db.session.commit()
    after = client.get(url)
    assert _titles(after.data) == ["Battery materials expert"]
    (new,) = _folder(app, round_).glob("*.xlsx")  # the older version is gone
    assert new.name != old.name
    assert new.read_bytes() == after.data


def test_a_renamed_district_makes_a_new_file(app, client, office):  # noqa: F811
    gulou, _taijiang, _recruiter, _organizer, round_ = office
    _round, _chip, _battery = _publish_two(office)
    url = f"{OFFICE}/catalogue/{round_.id}.xlsx?lang=en&district={gulou.id}"
    before = load_workbook(io.BytesIO(client.get(url).data), read_only=True).active
    assert [row[0] for row in before.iter_rows(min_row=2, values_only=True)] == ["Gulou District"]
    gulou.name_en = "Gulou New District"
    db.session.commit()
    after = load_workbook(io.BytesIO(client.get(url).data), read_only=True).active
    assert [row[0] for row in after.iter_rows(min_row=2, values_only=True)] == [
        "Gulou New District"]
    # a filtered download is kept beside, not in place of, the whole catalogue's
    client.get(f"{OFFICE}/catalogue/{round_.id}.xlsx?lang=en")
    assert len(list(_folder(app, round_).glob("*.xlsx"))) == 2


def test_a_folder_that_cannot_be_written_still_serves_the_download(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    body, kept = download_cache.fetch(blocked / "cache", "round-1-zh", "v1", "pdf",
                                      lambda: b"%PDF drawn")
    assert (body, kept) == (b"%PDF drawn", False)


def test_fetch_draws_once_per_version(tmp_path):
    drawn = []

    def draw() -> bytes:
        drawn.append(1)
        return f"body {len(drawn)}".encode()

    assert download_cache.fetch(tmp_path, "s", "v1", "pdf", draw) == (b"body 1", False)
    assert download_cache.fetch(tmp_path, "s", "v1", "pdf", draw) == (b"body 1", True)
    assert download_cache.fetch(tmp_path, "s", "v2", "pdf", draw) == (b"body 2", False)
    assert [p.name for p in tmp_path.iterdir()] == ["s.v2.pdf"]
    assert download_cache.fingerprint([1, "a"]) != download_cache.fingerprint([1, "b"])
