"""The intent as a PDF: bilingual document, signatures page, audit trail, QR code (pure).

Built with fpdf2 and a CJK font embedded as a subset: the packaged Noto Sans SC subset, or the
system's full Noto Sans CJK collection when the text holds characters the subset lacks. The
result is sealed afterwards by :mod:`roadshow.signing.seal`.

Lines are broken here, not by fpdf2 (which breaks at the last space, or anywhere in a run of
CJK): at the break opportunities of the Unicode line breaking algorithm (UAX #14, ICU's line
break iterator for Chinese through PyICU), which keeps closing punctuation (，。）) off the start
of a line, opening brackets off its end, and a number with its unit (joined by UAX #14's own
glue, a no-break space or word joiner). Only a single word
wider than the whole column (a hash, a long address) is broken inside, so nothing is cut off.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icu

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


def zone_text(moment: datetime, zone: str | None) -> str:
    """``2026-06-11 17:00:00 Asia/Shanghai (UTC+08:00)``: the time where the event is held."""
    if not zone:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {zone} (UTC{offset[:3]}:{offset[3:]})"


def both_zones(moment: datetime, zone: str | None, sep: str = " · ") -> str:
    """The time in UTC and, when given, in the event's zone, each named."""
    local = zone_text(moment, zone)
    return f"{utc_text(moment)}{sep}{local}" if local and zone != "UTC" else utc_text(moment)


WORD_JOINER = "\u2060"
#: a number and its unit stay on one line: these units (after a number, with or without a
#: space) are joined to it with UAX #14's own glue (no-break space, word joiner) before breaking
_UNIT = re.compile(
    r"(?P<number>\d[\d,.]*)(?P<space>[ \u00a0]?)"
    r"(?P<unit>平方米|平米|万元|亿元|元|万|亿|米|人|名|个月|个|年|天|小时|分钟|%|％"
    r"|square metres|square meters|m²|sqm|people|persons|years|months|days|hours|minutes)"
)
_CURRENCY = re.compile(r"(?P<code>CNY|RMB|USD|EUR|¥|￥) (?=\d)")


def _glue(match: re.Match[str]) -> str:
    unit = WORD_JOINER.join(match["unit"].replace(" ", "\u00a0"))
    space = "\u00a0" if match["space"] else ""
    return f"{match['number']}{space or WORD_JOINER}{unit}"


def keep_units(text: str) -> str:
    """``text`` with numbers glued to their units and currency codes to their amounts."""
    return _CURRENCY.sub(lambda m: f"{m['code']}\u00a0", _UNIT.sub(_glue, text))


class LineBreaker:
    """Breaks text into lines that fit a width in the PDF's current font (UAX #14)."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self._widths: dict[tuple[str, float], float] = {}
        # one iterator per document: ICU's iterators are not shared between threads
        self._iterator = icu.BreakIterator.createLineInstance(icu.Locale("zh_CN"))

    def units(self, text: str) -> list[str]:
        """``text`` cut at its line break opportunities; each piece keeps its trailing spaces."""
        ustring = icu.UnicodeString(text)  # ICU counts in UTF-16 units
        self._iterator.setText(ustring)
        pieces, start = [], 0
        for end in self._iterator:
            pieces.append(str(ustring[start:end]))
            start = end
        return pieces

    def width(self, text: str) -> float:
        key = (text, self.pdf.font_size_pt)
        if key not in self._widths:
            self._widths[key] = self.pdf.get_string_width(text)
        return self._widths[key]

    def _split_long(self, unit: str, width: float) -> list[str]:
        """A single unbreakable run wider than the column, cut where it overflows."""
        pieces, piece = [], ""
        for char in unit:
            if piece and self.width((piece + char).rstrip()) > width:
                pieces.append(piece)
                piece = char
            else:
                piece += char
        return [*pieces, piece] if piece else pieces

    def _fill(self, units: Iterable[str], width: float, out: list[str], glued: bool) -> None:
        """Greedy fill of one paragraph's units; a unit wider than the line is broken at its
        own UAX #14 opportunities without the unit glue, and only then inside a word."""
        line, line_width = "", 0.0
        for unit in units:
            if line and line_width + self.width(unit.rstrip()) > width:
                out.append(line.rstrip())
                line, line_width = "", 0.0
            if not line and self.width(unit.rstrip()) > width:
                inner = self.units(unit) if glued else []
                pieces: list[str] = []
                if len(inner) > 1:
                    self._fill(inner, width, pieces, glued=False)
                else:
                    pieces = self._split_long(unit, width)
                out.extend(pieces[:-1])
                unit = pieces[-1] if pieces else ""
            line += unit
            line_width += self.width(unit)
        out.append(line.rstrip())

    def lines(self, text: str, width: float) -> list[str]:
        out: list[str] = []
        for paragraph in text.split("\n"):
            # the glue only joins; the font has no glyph for it
            units = [u.replace(WORD_JOINER, "") for u in self.units(keep_units(paragraph))]
            self._fill(units, width, out, glued=True)
        return out

    def wrap(self, text: str, width: float) -> str:
        """``text`` with a newline at each line break, for a cell ``width`` wide (the cell's
        own margins taken off, and a little room so fpdf2 never breaks the line again)."""
        usable = width - 2 * self.pdf.c_margin - 0.6
        return "\n".join(self.lines(text, max(usable, 1.0)))


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
    zone: str | None = None,
) -> bytes:
    """The document's PDF bytes (unsealed); ``trail_json``, the whole audit trail
    (``chain.export_trail``), is attached as ``audit-trail.json`` so the seal covers it.
    Times are given in UTC and in ``zone``, the event's time zone, each named."""
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
    breaker = LineBreaker(pdf)

    def paragraph(text: str, line_height: float, cell_width: float = 0, **kwargs: Any) -> None:
        cell_width = cell_width or (pdf.w - pdf.r_margin - pdf.get_x())
        pdf.multi_cell(cell_width, line_height, breaker.wrap(text, cell_width),
                       new_x="LMARGIN", new_y="NEXT", **kwargs)

    # --- the document ----------------------------------------------------------------------
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 10, content["title"]["zh"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=14)
    pdf.cell(0, 8, content["title"]["en"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    event = content.get("event", {})
    paragraph(f"{event.get('zh', '')}\n{event.get('en', '')}", 5, align="C")
    paragraph(f"编号 Reference: {reference}\n"
              f"文件指纹 Document fingerprint (SHA-256):\n{group_hash(content_sha256)}", 5,
              align="C")
    pdf.ln(3)
    pdf.set_font(FONT, size=10)
    with pdf.table(col_widths=(1, 1), headings_style=plain, line_height=5.2,
                   first_row_as_headings=True, text_align="LEFT", width=width) as table:
        half = width / 2
        head = table.row()
        head.cell("中文")
        head.cell("English")
        for heading_zh, heading_en, text_zh, text_en in section_rows(content):
            row = table.row(style=plain)
            row.cell(breaker.wrap(heading_zh, half))
            row.cell(breaker.wrap(heading_en, half))
            row = table.row()
            row.cell(breaker.wrap(text_zh or "—", half))
            row.cell(breaker.wrap(text_en or "—", half))
    pdf.ln(4)
    pdf.set_font(FONT, size=8)
    consent = content.get("consent", {})
    paragraph(f"签署声明（版本 {consent.get('version', '')}）：{consent.get('zh', '')}", 4.2,
              align="L")
    pdf.ln(1)
    paragraph(f"Consent statement (version {consent.get('version', '')}): "
              f"{consent.get('en', '')}", 4.2, align="L")

    # --- signatures -----------------------------------------------------------------------
    pdf.add_page()
    pdf.set_font(FONT, size=14)
    pdf.cell(0, 8, "签署页 Signatures", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, size=8.5)
    paragraph(f"{SEAL_NOTE['zh']}\n{SEAL_NOTE['en']}", 4.5, align="L")
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
        paragraph(f"{line.position}. {line.role_zh} {line.role_en}: {line.name}", 6, align="L")
        pdf.set_font(FONT, size=8.5)
        paragraph(
            f"输入姓名 Typed name: {line.typed_name}\n"
            f"签署时间 Signed at: {both_zones(line.signed_at, zone, chr(10))}\n"
            f"IP: {line.ip}\n"
            f"浏览器 User agent: {line.user_agent}\n"
            f"签署声明版本 Consent version: {line.consent_version}\n"
            f"确认方式 Confirmed by: 重新输入密码 + 邮件验证码 password re-entered + one-time code by email",
            4.4, width * 0.6, align="L",
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
        paragraph(f"全部签署完成 Completed: {both_zones(completed_at, zone)}", 5, align="L")
    pdf.ln(2)
    qr_top = pdf.get_y()
    if qr_top > pdf.h - 50:
        pdf.add_page()
        qr_top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(verify_url)), x=15, y=qr_top, w=32, h=32)
    pdf.set_xy(50, qr_top + 2)
    pdf.set_font(FONT, size=9)
    paragraph(
        "验证本文件 Verify this document:\n"
        f"{verify_url}\n"
        "在验证页上传本 PDF 或输入其 SHA-256，即可确认文件真实、未被修改。\n"
        "Upload this PDF or enter its SHA-256 on the verification page to confirm it is "
        "genuine and unaltered.",
        4.6, width - 35, align="L",
    )
    pdf.set_y(max(pdf.get_y(), qr_top + 34))

    # --- audit trail ----------------------------------------------------------------------
    pdf.add_page()
    pdf.set_font(FONT, size=14)
    pdf.cell(0, 8, "审计轨迹 Audit trail", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, size=8)
    paragraph("每条记录的哈希值包含上一条记录的哈希值（哈希链），删除或修改任何记录都会被发现。"
              f"完整的审计轨迹以附件 {TRAIL_ATTACHMENT} 随本文件一并盖章，仅凭本文件即可重新核验。\n"
              "Each entry's hash covers the previous entry's hash (a hash chain): removing or "
              f"changing any entry is detected. The whole trail is attached as {TRAIL_ATTACHMENT} "
              "and sealed with this file, so it can be re-checked from this file alone.",
              4, align="L")
    pdf.ln(2)
    # every value in full, wrapped at UAX #14 break opportunities within its column; drawn
    # line by line (a trail can be long, and fpdf2's own table measures every cell twice)
    pdf.set_font(FONT, size=6.5)
    widths = [w * width / 176 for w in (7, 30, 20, 34, 19, 38, 28)]
    zone_title = f"UTC / {zone}" if zone and zone != "UTC" else "UTC"
    titles = ("#", f"时间 Time ({zone_title})", "事件 Event", "操作人 Actor", "IP",
              "浏览器 User agent", "哈希 Hash (SHA-256)")
    pad, line_height, ascent = 1.0, 2.9, 2.1
    pdf.set_draw_color(120, 120, 120)
    pdf.set_fill_color(232, 238, 247)

    def audit_row(values: Sequence[str], heading: bool = False) -> None:
        cells = [breaker.lines(value, cell_width - 2 * pad)
                 for value, cell_width in zip(values, widths, strict=True)]
        height = max(len(lines) for lines in cells) * line_height + 2 * pad
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()
            pdf.set_font(FONT, size=6.5)
            if not heading:
                audit_row(titles, heading=True)
        x, top = pdf.l_margin, pdf.get_y()
        for lines, cell_width in zip(cells, widths, strict=True):
            pdf.rect(x, top, cell_width, height, style="DF" if heading else "D")
            for number, text in enumerate(lines):
                if text:
                    pdf.text(x + pad, top + pad + number * line_height + ascent, text)
            x += cell_width
        pdf.set_y(top + height)

    audit_row(titles, heading=True)
    for entry in audit:
        zh, en = ACTION_LABELS.get(entry.action, (entry.action, entry.action))
        audit_row((str(entry.seq), both_zones(entry.at, zone, "\n"), f"{zh} {en}",
                   entry.actor, entry.ip, entry.user_agent, group_hash(entry.entry_hash)))
    return bytes(pdf.output())
