"""Rebuild ``NotoSansSC-Roadshow.ttf``: Noto Sans CJK SC cut down to what intents use.

Run ``python roadshow/signing/fonts/make_subset.py`` on a machine with Debian's
``fonts-noto-cjk``. The subset keeps GB 2312 (the 6,763 common simplified characters and its
symbols), Latin with its extensions, general punctuation, CJK punctuation and full-width forms,
with its outlines converted to TrueType (quadratic) curves, which fpdf2 subsets several times
faster than CFF; about 2.2 MB. Documents with characters outside it fall back to the system font when present
(see ``roadshow.signing.pdf``). Noto Sans CJK is licensed under the SIL Open Font License 1.1
(``OFL.txt`` beside this file).
"""

from __future__ import annotations

import sys
from pathlib import Path

SYSTEM_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SC_INDEX = 2  # Noto Sans CJK SC in the collection
OUT = Path(__file__).with_name("NotoSansSC-Roadshow.ttf")


def characters() -> str:
    chars: set[str] = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for start, end in ((0x20, 0x250), (0x2000, 0x2070), (0x20A0, 0x20C0), (0x2100, 0x2200),
                       (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        chars.update(chr(c) for c in range(start, end))
    chars.update("✓✔☐☑")
    return "".join(sorted(chars))


def to_truetype(font) -> None:  # type: ignore[no-untyped-def]
    """Replace the CFF outlines by TrueType ones (cubic curves approximated, 1 unit error)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main() -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(SYSTEM_FONT)).fonts[SC_INDEX]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    to_truetype(font)
    font.save(str(OUT))
    sys.stdout.write(f"wrote {OUT} ({OUT.stat().st_size} bytes)\n")


if __name__ == "__main__":
    main()
