"""The published catalogue's workbook opens in Excel (openpyxl) with headers and cells in the
chosen language."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from roadshow.demands import catalogue
from roadshow.demands.exports import catalogue_pdf, catalogue_xlsx
from roadshow.extensions import db
from tests.demands.test_catalogue import ORGANIZER, _form, world  # noqa: F401 - the fixture


def _published(world):  # noqa: F811 - the fixture's value
    gulou, _taijiang, _recruiter, round_ = world
    demand = catalogue.enter_demand(db.session, round_, None, ORGANIZER, catalogue.parse_form(
        _form(gulou.id, description_zh="负责28纳米芯片数字前端设计", housing="on")))
    catalogue.submit(db.session, demand, ORGANIZER)
    catalogue.review(db.session, demand, ORGANIZER, accept=True)
    catalogue.publish(db.session, round_, ORGANIZER)
    db.session.commit()
    return db.session.scalars(catalogue.catalogue_query(round_)).all()


def _sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


def test_the_workbook_in_each_language(app, world):  # noqa: F811
    demands = _published(world)
    with app.test_request_context():
        english = _sheet(catalogue_xlsx(demands, "en", "Demands 2027"))
        chinese = _sheet(catalogue_xlsx(demands, "zh", "需求清单2027"))
    assert english[0][:4] == ("District", "Company", "Kind", "Title")
    assert english[1][0] == "Gulou District"
    assert english[1][3] == "Chip design engineer"
    # no English description: the Chinese one stands in rather than an empty cell
    assert english[1][4] == "负责28纳米芯片数字前端设计"
    assert chinese[0][0] != "District"
    assert chinese[1][0] == "鼓楼区"
    assert chinese[1][3] == "芯片设计工程师"
    assert len(chinese) == 2


def test_the_pdf_in_each_language(app, world, tmp_path):  # noqa: F811
    import subprocess

    demands = _published(world)
    for language, title, expected in (("en", "Talent demands 2027", "Chip design engineer"),
                                      ("zh", "2027年人才需求清单", "芯片设计工程师")):
        with app.test_request_context():
            data = catalogue_pdf(demands, language, title)
        path = tmp_path / f"{language}.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert title in text
        assert expected in text
        assert "鼓楼区" in text if language == "zh" else "Gulou District" in text
