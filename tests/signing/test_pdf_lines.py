"""The sealed PDF's text broken by the Unicode line breaking rules (UAX #14), nothing cut off,
times in UTC and the event's zone, and the seal still valid (issue 12, item 23)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from roadshow.extensions import db
from roadshow.signing import audit_trail, pdf, seal
from tests.conftest import services_required

#: closing punctuation a Chinese line never starts with
NO_LINE_START = "，。、；：？！）》」』】"


def _lines(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


@pytest.fixture
def sealed(completed_intent):
    intent = completed_intent()
    return intent, audit_trail.sealed_pdf_of(db.session, intent)


def test_no_line_starts_with_closing_punctuation(sealed):
    _intent, data = sealed
    offending = [line for line in _lines(data) if line and line[0] in NO_LINE_START]
    assert offending == []


def test_a_number_stays_with_its_unit(sealed):
    _intent, data = sealed
    text = "\n".join(_lines(data)).replace("\xa0", " ")
    assert re.search(r"300 ?平方米", text)
    assert re.search(r"300 square metres", text)
    assert not re.search(r"\d\s*\n\s*(平方米|万元|square)", text)


def test_the_chinese_consent_statement_fills_its_lines(sealed):
    intent, data = sealed
    lines = _lines(data)
    start = next(i for i, line in enumerate(lines) if line.startswith("签署声明（版本"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Consent statement"))
    consent = lines[start:end]
    assert len(consent) >= 2
    # every line but the last is full: at least 40 characters across the page at 8 pt
    assert all(len(line) >= 40 for line in consent[:-1]), consent


def test_the_audit_table_shows_hashes_emails_and_agents_in_full(sealed):
    intent, data = sealed
    reader = PdfReader(io.BytesIO(data))
    trail_text = "".join(page.extract_text() for page in reader.pages
                         if "审计轨迹 Audit trail" in page.extract_text())
    squeezed = re.sub(r"\s+", "", trail_text)
    sealed_count = len([e for e in intent.audit_entries if e.action != "sealed"])
    for entry in intent.audit_entries[:sealed_count]:
        assert entry.entry_hash in squeezed
        assert re.sub(r"\s+", "", entry.actor_label) in squeezed
        assert re.sub(r"\s+", "", entry.user_agent) in squeezed
    assert "…" not in trail_text


def test_times_name_utc_and_the_events_zone(sealed):
    intent, data = sealed
    zone = intent.application.event.timezone
    assert zone != "UTC"
    text = "\n".join(_lines(data))
    signed = intent.signers[0].acted_at
    assert pdf.zone_text(signed, zone) in text
    assert pdf.utc_text(signed) in text
    assert f"Time(UTC/{zone})" in re.sub(r"\s+", "", text)


def test_zone_text_names_the_zone_and_its_offset():
    from datetime import UTC, datetime

    moment = datetime(2026, 6, 11, 1, 0, tzinfo=UTC)
    assert pdf.zone_text(moment, "Asia/Shanghai") == "2026-06-11 09:00:00 Asia/Shanghai (UTC+08:00)"
    assert pdf.zone_text(moment, "America/New_York") == \
        "2026-06-10 21:00:00 America/New_York (UTC-04:00)"


def test_the_line_breaker_follows_uax14_and_keeps_units():
    from fpdf import FPDF

    document = FPDF()
    document.add_font(pdf.FONT, "", str(pdf.PACKAGED_FONT))
    document.set_font(pdf.FONT, size=10)
    breaker = pdf.LineBreaker(document)
    text = "本人确认已阅读并理解本意向书的全部内容，同意以电子方式签署。提供场地面积：2000 平方米。"
    for width in range(20, 90, 3):
        lines = breaker.lines(text, width)
        assert "".join(lines).replace("\xa0", " ") == text
        assert all(line[0] not in NO_LINE_START for line in lines if line)
        if width >= 30:  # wide enough for "2000 平方米。": never split inside it
            assert not any(line.endswith(("2000", "2000\xa0平", "2000\xa0平方")) for line in lines)
        assert all(breaker.width(line) <= width for line in lines)
    long = "a" * 120 + " end"
    lines = breaker.lines(long, 30)
    assert "".join(lines[:-1]) == "a" * 120
    assert lines[-1] == "end"
    document.add_page()
    document.output()  # fpdf2 closes the font file it read when it writes the document


def test_the_seal_still_validates_with_pyhanko_and_pdfsig(sealed, tmp_path):
    _intent, data = sealed
    assert seal.check_pdf(data, audit_trail.seal_identity()).genuine
    binary = shutil.which("pdfsig")
    if binary is None:
        if services_required():
            pytest.fail("pdfsig (poppler-utils) is required in CI")
        pytest.skip("pdfsig (poppler-utils) is not installed")
    path = tmp_path / "sealed.pdf"
    path.write_bytes(data)
    report = subprocess.run([binary, str(path)], capture_output=True, text=True, timeout=60,
                            check=False)
    assert "Signature is Valid" in report.stdout
    assert "Total document signed" in report.stdout
