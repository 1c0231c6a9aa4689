"""Captions of a recorded pitch as WebVTT (pure: no web framework, no database).

- The lines typed in the live room while the pitch was recorded become cues timed from the
  recording's start (:func:`cues`, :func:`to_webvtt`): a cue shows from the moment its line was
  sent until the next line (at most :data:`HOLD_MS`, at least :data:`MIN_MS`).
- A WebVTT file someone uploads is read with webvtt-py in its strict mode and checked
  (:func:`check`): a malformed file raises :class:`CaptionFileError` with a key the page turns
  into a message in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

#: the languages a recording has captions in
LANGUAGES = ("zh", "en")
#: each track's name in its own language (the page adds the reader's word for it)
NATIVE_LABELS = {"zh": "中文字幕", "en": "English captions"}
#: how long a cue typed live stays on screen when no line follows it
HOLD_MS = 6000
#: the shortest a cue typed live is shown, even when the next line follows at once
MIN_MS = 1000
#: the largest WebVTT file accepted (a pitch's captions are a few kilobytes)
MAX_BYTES = 512 * 1024
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class CaptionFileError(ValueError):
    """An uploaded caption file that cannot be used; ``key`` names the reason."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key, self.detail = key, detail


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


def language_of(text: str) -> str:
    """``"zh"`` for a line with Chinese characters in it, else ``"en"``."""
    return "zh" if _HAN.search(text) else "en"


def stamp(ms: int) -> str:
    """``HH:MM:SS.mmm`` for ``ms`` milliseconds."""
    seconds, millis = divmod(max(ms, 0), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def cues(lines: list[tuple[int, str]], length_ms: int | None = None) -> list[Cue]:
    """Cues of ``lines`` (milliseconds from the recording's start, text), in time order; a cue
    does not outlast the recording (``length_ms``) unless it would be shorter than MIN_MS."""
    ordered = sorted((max(at, 0), text) for at, text in lines if text.strip())
    made: list[Cue] = []
    for index, (start, text) in enumerate(ordered):
        end = start + HOLD_MS
        if index + 1 < len(ordered) and ordered[index + 1][0] >= start + MIN_MS:
            end = min(end, ordered[index + 1][0])
        if length_ms is not None:
            end = min(end, max(length_ms, start + MIN_MS))
        made.append(Cue(start, end, text))
    return made


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(made: list[Cue]) -> str:
    """A WebVTT file of ``made`` (written by webvtt-py; text escaped, one line per cue)."""
    return webvtt.WebVTT(captions=[
        webvtt.Caption(stamp(cue.start_ms), stamp(cue.end_ms), _escape(cue.text))
        for cue in made]).content


def parse(text: str) -> list[Cue]:
    """The cues of a WebVTT file already checked (:func:`check`) or made (:func:`to_webvtt`)."""
    return [Cue(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.text)
            for c in webvtt.from_string(text).captions]


def check(data: bytes) -> str:
    """The text of an uploaded WebVTT file if it is one Roadshow can serve, else
    :class:`CaptionFileError` (``too_large``, ``not_utf8``, ``malformed``, ``bad_cue``,
    ``backwards``, ``empty``)."""
    if len(data) > MAX_BYTES:
        raise CaptionFileError("too_large", f"{len(data)} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CaptionFileError("not_utf8", str(error)) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        parsed = webvtt.from_string(text, strict=True)
    except MalformedFileError as error:
        raise CaptionFileError("malformed", str(error)) from error
    except MalformedCaptionError as error:
        raise CaptionFileError("bad_cue", str(error)) from error
    if not parsed.captions:
        raise CaptionFileError("empty")
    for caption in parsed.captions:
        if not caption.start_time < caption.end_time:  # WebVTT: a cue ends after it starts
            raise CaptionFileError("backwards", f"{caption.start} --> {caption.end}")
    return text if text.endswith("\n") else text + "\n"
