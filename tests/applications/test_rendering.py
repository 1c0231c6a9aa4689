"""Pathological page shapes: refused at upload, every rendered bitmap bounded, rendering off the
server's event loop (issue 12, item 9)."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from roadshow.applications import files, rendering
from roadshow.live.decks import page_image
from tests.applications.pdfs import shaped_pdf

#: the probe's decks: tall, wide, tiny, huge, a sliver; and a huge page made by UserUnit
ABSURD = {
    "tall": ([(4, 10_000)], None),
    "wide": ([(10_000, 4)], None),
    "tiny": ([(1, 1)], None),
    "huge": ([(20_000, 20_000)], None),
    "sliver": ([(200, 2_000)], None),
    "user unit": ([(720, 540)], 75.0),
}
ORDINARY = {"16:9": (960, 540), "4:3": (720, 540), "A4": (595, 842), "A4 landscape": (842, 595),
            "letter": (612, 792), "poster A0": (2384, 3370)}


def _pixels(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


@pytest.mark.parametrize("shape", sorted(ABSURD))
def test_absurd_page_boxes_are_refused_saying_which_page(shape):
    sizes, unit = ABSURD[shape]
    # UserUnit scales every page of these files: the absurd page is the only one there
    pages = sizes if unit else [(960, 540), (960, 540), *sizes]
    data = shaped_pdf(pages, user_unit=unit)
    with pytest.raises(files.FileRefusedError) as refused:
        files.check(data, files.DECK_TYPES, files.DECK_MAX_BYTES)
    assert refused.value.reason == "page_size"
    assert refused.value.page == len(pages)
    width, height = refused.value.size
    assert (width, height) == (sizes[0][0] * (unit or 1), sizes[0][1] * (unit or 1))


@pytest.mark.parametrize("shape", sorted(ORDINARY))
def test_ordinary_slide_and_paper_pages_are_accepted(shape):
    checked = files.check(shaped_pdf([ORDINARY[shape]] * 2), files.DECK_TYPES,
                          files.DECK_MAX_BYTES)
    assert checked.page_count == 2


@pytest.mark.parametrize(("width", "height"), [(20, 4_000), (4_000, 20), (2, 2), (14_400, 14_400)])
def test_a_thumbnail_stays_within_the_pixel_and_memory_bounds_whatever_the_shape(width, height):
    png = files.render_thumbnail(shaped_pdf([(width, height)]))
    assert png is not None
    w, h = _pixels(png)
    assert w * h <= files.MAX_RENDER_PIXELS
    assert w * h * files.BYTES_PER_PIXEL <= files.MAX_BITMAP_BYTES
    assert w <= files.THUMBNAIL_WIDTH + 1


def test_a_live_deck_page_of_an_absurd_stored_deck_is_bounded(tmp_path):
    """Decks stored before pages were checked still render within bounds in the live room."""
    source = tmp_path / "old-deck.pdf"
    source.write_bytes(shaped_pdf([(960, 540), (200, 4_000)]))
    image = page_image(source, "ab" * 32, 2, tmp_path / "cache")
    w, h = _pixels(image.read_bytes())
    assert w * h <= files.MAX_RENDER_PIXELS
    assert h > w  # the shape is kept: scaled down, not cropped or stretched


@pytest.mark.parametrize(("width", "height", "target"), [
    (4, 10_000, 360), (10_000, 4, 1280), (1, 1, 1280), (14_400, 14_400, 1280), (960, 540, 1280),
    (0, 0, 360), (-300, 200, 360),
])
def test_render_size_fits_the_budget_and_keeps_the_ordinary_width(width, height, target):
    scale, w, h = files.render_size(width, height, target)
    assert scale > 0
    assert w >= 1
    assert h >= 1
    assert w * h <= files.MAX_RENDER_PIXELS
    if (width, height) == (960, 540):
        assert (w, h) == (1280, 720)


def test_rendering_runs_on_a_thread_of_its_own():
    seen = []
    rendering.off_loop(lambda: seen.append(threading.get_ident()))
    assert seen
    assert seen[0] != threading.get_ident()


def test_an_error_on_the_render_thread_reaches_the_caller():
    with pytest.raises(ZeroDivisionError):
        rendering.off_loop(lambda: 1 / 0)


GEVENT_PROBE = r"""
from gevent import monkey
monkey.patch_all()
import sys
import time

import gevent

sys.path.insert(0, {root!r})
from roadshow.applications import rendering

_sleep = monkey.get_original("time", "sleep")
ticks = []


def ticker():
    while True:
        ticks.append(1)
        gevent.sleep(0.001)


def work():
    # a render's worth of blocking work: done on the hub, no greenlet could run meanwhile
    deadline = time.monotonic() + 5
    while not ticks and time.monotonic() < deadline:
        _sleep(0.005)
    return len(ticks)


gevent.spawn(ticker)
gevent.sleep(0)
ticks.clear()
print("ticks", rendering.off_loop(work))
"""


def test_under_gevent_the_hub_keeps_running_while_a_render_works():
    """Under ``roadshow serve`` (gevent) other greenlets (requests, live rooms) run while the
    render thread works: a ticker greenlet ticks while the work waits for it."""
    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run([sys.executable, "-c", GEVENT_PROBE.format(root=root)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "ticks" in result.stdout
    assert int(result.stdout.split()[-1]) >= 1, result.stdout
