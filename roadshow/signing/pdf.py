"""The intent as a PDF: bilingual document, signatures page, audit trail, QR code (pure).

Built with fpdf2 and a CJK font embedded as a subset: the packaged Noto Sans SC subset, or the
system's full Noto Sans CJK collection when the text holds characters the subset lacks. The
result is sealed afterwards by :mod:`roadshow.signing.seal`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from roadshow.signing.canonical import group_hash
from roadshow.signing.document import SEAL_NOTE, section_rows

FONT_DIR = Path(__file__).with_name("fonts")
PACKAGED_FONT = FONT_DIR / "NotoSansSC-Roadshow.ttf"
SYSTEM_FONTS = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"), 2),
)
FONT = "roadshow-cjk"
#: the name of the attached audit trail in every PDF of an intent
TRAIL_ATTACHMENT = "audit-trail.json"

#: audit actions in both languages, for the trail printed in the PDF
ACTION_LABELS = {
    "created": ("创建", "created"),
    "edited": ("修改草稿", "draft edited"),
    "sent": ("发送签署", "sent for signing"),
    "viewed": ("查阅", "viewed"),
    "code_sent": ("发送验证码", "code sent"),
    "code_refused": ("验证码错误", "code refused"),
    "signed": ("签署", "signed"),
    "declined": ("拒绝签署", "declined"),
    "completed": ("全部签署完成", "completed"),
    "sealed": ("平台盖章", "sealed"),
    "downloaded": ("下载", "downloaded"),
    "reminded": ("发送提醒", "reminder sent"),
    "expired": ("过期", "expired"),
    "cancelled": ("撤回", "cancelled"),
}


@dataclass(frozen=True)
class SignatureLine:
    position: int
    role_zh: str
    role_en: str
    name: str
    typed_name: str
    signed_at: datetime
    ip: str
    user_agent: str
    consent_version: str
    signature_png: bytes | None = None


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime
    action: str
    actor: str
    ip: str
    user_agent: str
    entry_hash: str


@lru_cache(maxsize=1)
def _packaged_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(PACKAGED_FONT), lazy=True) as font:
        return frozenset(font.getBestCmap())


def choose_font(texts: Iterable[str]) -> tuple[Path, int]:
    """The packaged subset when it covers every character, else a system CJK font if any."""
    covered = _packaged_codepoints()
    needed = {ord(ch) for text in texts for ch in text if not ch.isspace()}
    if needed <= covered:
        return PACKAGED_FONT, 0
    for path, index in SYSTEM_FONTS:
        if path.exists():
            return path, index
    return PACKAGED_FONT, 0


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _fit(pdf: Any, text: str, width: float, cache: dict[str, float]) -> str:
    """``text`` cut (with an ellipsis) to fit ``width`` in the current font."""
    total = 0.0
    ellipsis = cache.setdefault("…", pdf.get_string_width("…"))
    for index, char in enumerate(text):
        if char not in cache:
            cache[char] = pdf.get_string_width(char)
        total += cache[char]
        if total > width - ellipsis and index < len(text) - 1:
            rest = sum(cache.get(c) or cache.setdefault(c, pdf.get_string_width(c))
                       for c in text[index:])
            if total - cache[char] + rest <= width:
                return text
            return text[:index] + "…"
    return text


def qr_png(url: str) -> bytes:
    import qrcode

    image = qrcode.make(url, box_size=4, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build_pdf(
    content: Mapping[str, Any],
    content_sha256: str,
    signatures: Sequence[SignatureLine],
    audit: Sequence[AuditLine],
    verify_url: str,
    *,
    completed_at: datetime | None = None,
    draft: bool = False,
    trail_json: bytes | None = None,
) -> bytes:
    """The document's PDF bytes (unsealed); ``trail_json``, the whole audit trail
    (``chain.export_trail``), is attached as ``audit-trail.json`` so the seal covers it."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    texts = list(_strings(content)) + [s.typed_name for s in signatures] + [
        s.name for s in signatures] + [a.actor for a in audit]
    font_path, font_index = choose_font(texts)
    reference = str(content.get("reference", ""))

    class IntentPDF(FPDF):
        def header(self) -> None:
            self.set_font(FONT, size=8)
            self.set_text_color(110, 110, 110)
            label = "草稿 DRAFT · " if draft else ""
            self.cell(0, 5, f"{label}Roadshow · {content['title']['zh']} {content['title']['en']}"
                      f" · {reference}", align="L")
            self.ln(7)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, size=7)
            self.set_text_color(110, 110, 110)
            self.cell(0, 4, f"SHA-256 {content_sha256} · {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = IntentPDF(format="A4", unit="mm")
    pdf.set_creator("Roadshow")
    pdf.set_title(f"{content['title']['en']} {reference}")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(completed_at or datetime.now(UTC))
    pdf.add_font(FONT, "", str(font_path), collection_font_number=font_index)
    pdf.set_auto_page_break(auto=True, margin=16)
    if trail_json is not None:
        pdf.embed_file(bytes=trail_json, basename=TRAIL_ATTACHMENT, mime_type="application/json",
                       modification_date=completed_at or datetime.now(UTC), compress=True,
                       desc="审计轨迹（哈希链）Audit trail (hash chain)")
    pdf.set_margins(15, 12, 15)
    plain = FontFace(emphasis="", fill_color=(232, 238, 247))
    width = pdf.epw

    # --- the document ----------------------------------------------------------------------
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 10, content["title"]["zh"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=14)
    pdf.cell(0, 8, content["title"]["en"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    event = content.get("event", {})
    pdf.multi_cell(0, 5, f"{event.get('zh', '')}\n{event.get('en', '')}", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, f"编号 Reference: {reference}\n"
                         f"文件指纹 Document fingerprint (SHA-256):\n{group_hash(content_sha256)}",
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, size=10)
    with pdf.table(col_widths=(1, 1), headings_style=plain, line_height=5.2,
                   first_row_as_headings=True, text_align="LEFT", width=width) as table:
        head = table.row()
        head.cell("中文")
        head.cell("English")
        for heading_zh, heading_en, text_zh, text_en in section_rows(content):
            row = table.row(style=plain)
            row.cell(heading_zh)
            row.cell(heading_en)
            row = table.row()
            row.cell(text_zh or "—")
            row.cell(text_en or "—")
    pdf.ln(4)
    pdf.set_font(FONT, size=8)
    consent = content.get("consent", {})
    pdf.multi_cell(0, 4.2, f"签署声明（版本 {consent.get('version', '')}）：{consent.get('zh', '')}",
                   new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)
    pdf.multi_cell(0, 4.2, f"Consent statement (version {consent.get('version', '')}): "
                           f"{consent.get('en', '')}", new_x="LMARGIN", new_y="NEXT", align="L")

    # --- signatures -----------------------------------------------------------------------
    pdf.add_page()
    pdf.set_font(FONT, size=14)
    pdf.cell(0, 8, "签署页 Signatures", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, size=8.5)
    pdf.multi_cell(0, 4.5, f"{SEAL_NOTE['zh']}\n{SEAL_NOTE['en']}", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    if not signatures:
        pdf.set_font(FONT, size=10)
        pdf.cell(0, 6, "尚无签署 No signatures yet", new_x="LMARGIN", new_y="NEXT", align="L")
    for line in signatures:
        if pdf.get_y() > pdf.h - 70:
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_draw_color(180, 180, 180)
        pdf.set_font(FONT, size=10.5)
        pdf.cell(0, 6, f"{line.position}. {line.role_zh} {line.role_en}: {line.name}",
                 new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(FONT, size=8.5)
        pdf.multi_cell(
            width * 0.6, 4.4,
            f"输入姓名 Typed name: {line.typed_name}\n"
            f"签署时间 Signed at: {utc_text(line.signed_at)}\n"
            f"IP: {line.ip}\n"
            f"浏览器 User agent: {line.user_agent[:90]}\n"
            f"签署声明版本 Consent version: {line.consent_version}\n"
            f"确认方式 Confirmed by: 重新输入密码 + 邮件验证码 password re-entered + one-time code by email",
            new_x="LMARGIN", new_y="NEXT", align="L",
        )
        bottom = pdf.get_y()
        if line.signature_png:
            # drawings are checked to be small PNG images when they are received
            pdf.image(io.BytesIO(line.signature_png), x=15 + width * 0.63, y=top + 7,
                      w=width * 0.35, h=22, keep_aspect_ratio=True)
            bottom = max(bottom, top + 31)
        pdf.set_y(bottom + 2)
        pdf.line(15, pdf.get_y(), 15 + width, pdf.get_y())
        pdf.ln(3)
    if completed_at:
        pdf.set_font(FONT, size=9)
        pdf.cell(0, 5, f"全部签署完成 Completed: {utc_text(completed_at)}", new_x="LMARGIN",
                 new_y="NEXT")
    pdf.ln(2)
    qr_top = pdf.get_y()
    if qr_top > pdf.h - 50:
        pdf.add_page()
        qr_top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(verify_url)), x=15, y=qr_top, w=32, h=32)
    pdf.set_xy(50, qr_top + 2)
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(
        width - 35, 4.6,
        "验证本文件 Verify this document:\n"
        f"{verify_url}\n"
        "在验证页上传本 PDF 或输入其 SHA-256，即可确认文件真实、未被修改。\n"
        "Upload this PDF or enter its SHA-256 on the verification page to confirm it is "
        "genuine and unaltered.",
        new_x="LMARGIN", new_y="NEXT", align="L",
    )
    pdf.set_y(max(pdf.get_y(), qr_top + 34))

    # --- audit trail ----------------------------------------------------------------------
    pdf.add_page()
    pdf.set_font(FONT, size=14)
    pdf.cell(0, 8, "审计轨迹 Audit trail", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, size=8)
    pdf.multi_cell(0, 4, "每条记录的哈希值包含上一条记录的哈希值（哈希链），删除或修改任何记录都会被发现。"
                         "\nEach entry's hash covers the previous entry's hash (a hash chain): "
                         "removing or changing any entry is detected.",
                   new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    # one line per entry, cells cut to fit: a trail can be long, and wrapping is slow
    pdf.set_font(FONT, size=6.5)
    widths = [w * width / 170 for w in (6, 24, 24, 36, 18, 40, 22)]
    titles = ("#", "时间 Time (UTC)", "事件 Event", "操作人 Actor", "IP", "浏览器 User agent",
              "哈希 Hash")
    pdf.set_fill_color(232, 238, 247)
    for title, cell_width in zip(titles, widths, strict=True):
        pdf.cell(cell_width, 5, title, border=1, fill=True)
    pdf.ln(5)
    char_widths: dict[str, float] = {}
    for entry in audit:
        zh, en = ACTION_LABELS.get(entry.action, (entry.action, entry.action))
        values = (str(entry.seq), entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                  f"{zh} {en}", entry.actor, entry.ip, entry.user_agent, entry.entry_hash)
        if pdf.get_y() > pdf.h - 22:
            pdf.add_page()
        for value, cell_width in zip(values, widths, strict=True):
            pdf.cell(cell_width, 4.4, _fit(pdf, value, cell_width - 1.2, char_widths), border=1)
        pdf.ln(4.4)
    return bytes(pdf.output())
