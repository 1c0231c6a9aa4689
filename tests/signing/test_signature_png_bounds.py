"""A drawn signature whose PNG header claims an enormous image (a few hundred bytes) is refused
as too large in the signer's language, instead of Pillow's decompression-bomb error becoming a
500 (or a warning for one just past Pillow's limit)."""

from __future__ import annotations

import struct
import zlib

import pytest

from roadshow.signing.exceptions import SigningError
from roadshow.signing.signatures import check_signature_png


def png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (10_000, 10_000), (3000, 500)])
def test_a_signature_claiming_a_huge_image_is_refused_as_too_large(width, height):
    with pytest.raises(SigningError, match="too large"):
        check_signature_png(png_header(width, height))


def test_a_small_signature_passes():
    data = png_header(600, 200)
    assert check_signature_png(data) == data
