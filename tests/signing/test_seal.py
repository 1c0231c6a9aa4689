"""The sealed PDF: Chinese text, the platform's PAdES seal, tampering detected."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from roadshow.extensions import db
from roadshow.signing import audit_trail, pdf, seal, verification
from tests.conftest import services_required


def _tampered(data: bytes) -> bytes:
    """One byte changed inside the signed range (in the document's first page objects)."""
    changed = bytearray(data)
    at = data.index(b"/Title") + 8
    changed[at] = changed[at] ^ 0x01
    return bytes(changed)


@pytest.fixture
def sealed(completed_intent):
    intent = completed_intent()
    return intent, audit_trail.sealed_pdf_of(db.session, intent)


def test_sealed_pdf_validates_against_the_platform_certificate(sealed):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _intent, data = sealed
    identity = audit_trail.seal_identity()
    root = load_cert_from_pemder(str(identity.cert_path))
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    status = seal.call_outside_event_loop(  # pyHanko runs its own event loop
        validate_pdf_signature, embedded, ValidationContext(trust_roots=[root]))
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line


def test_one_changed_byte_fails_verification(sealed):
    intent, data = sealed
    tampered = _tampered(data)
    check = seal.check_pdf(tampered, audit_trail.seal_identity())
    assert check.has_seal
    assert not check.intact
    assert not check.genuine
    assert not verification.verify_pdf(db.session, tampered).genuine
    assert verification.verify_pdf(db.session, data).genuine


def test_seal_of_another_key_is_not_trusted(sealed, tmp_path):
    _intent, data = sealed
    stranger = seal.ensure_identity(tmp_path / "stranger")
    check = seal.check_pdf(data, stranger)
    assert check.intact
    assert not check.trusted
    assert not check.genuine


def test_pdf_renders_chinese_text(sealed):
    intent, data = sealed
    text = "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
    assert "合作意向书" in text
    assert "低功耗物联网技术在工业和智慧城市领域的应用" in text
    assert "鼓楼区" in text
    assert "IntentofCooperation" in text
    assert intent.reference in text
    assert "审计轨迹" in text  # the audit trail page


def test_pdf_embeds_its_cjk_font(sealed):
    _intent, data = sealed
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()
            fonts.add(font.get_object()["/BaseFont"])
    assert any("Noto" in name for name in fonts)


def test_common_text_uses_the_packaged_font():
    assert pdf.choose_font(["徐州市人才办 Xuzhou", "鼓楼区"])[0] == pdf.PACKAGED_FONT


def test_rare_characters_fall_back_to_the_system_font():
    installed = [path for path, _index in pdf.SYSTEM_FONTS if path.exists()]
    if not installed:
        pytest.skip("no system CJK font (fonts-noto-cjk) installed")
    assert pdf.choose_font(["朱镕基"])[0] == installed[0]  # 镕 is outside GB 2312


def _pdfsig(path) -> str:
    binary = shutil.which("pdfsig")
    if binary is None:
        if services_required():
            pytest.fail("pdfsig (poppler-utils) is required in CI")
        pytest.skip("pdfsig (poppler-utils) is not installed")
    result = subprocess.run([binary, str(path)], capture_output=True, text=True, timeout=60,
                            check=False)
    return result.stdout + result.stderr


def test_pdfsig_reports_the_seal_intact_and_a_tampered_copy_not(sealed, tmp_path):
    _intent, data = sealed
    original, tampered = tmp_path / "sealed.pdf", tmp_path / "tampered.pdf"
    original.write_bytes(data)
    tampered.write_bytes(_tampered(data))
    report = _pdfsig(original)
    assert "Signature is Valid" in report
    assert "Total document signed" in report
    broken = _pdfsig(tampered)
    assert "Signature is Valid" not in broken
    assert "Digest Mismatch" in broken or "Invalid" in broken
