"""The pool's two maps, drawn from data shipped with Roadshow (pure: no Flask, no database).

Where people live abroad: a bubble per country over the world's coastlines, its area in
proportion to the count, at the country's point (``data/world_map.json``). Where they live in
China: a tile map of the 34 provincial-level divisions, Taiwan, Hong Kong and Macao among them
(``data/province_tiles.csv``), each tile shaded by its count in five steps. Neither fetches
anything nor draws a border.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
LEVELS = 5
#: the codes of the three regions of China that ``divisions.csv`` does not hold, by the
#: residence country a record stores for them
REGIONS = {"TW": "710000", "HK": "810000", "MO": "820000"}
#: endings a tile's short Chinese name leaves out (广西壮族自治区 -> 广西)
_ZH_ENDINGS = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


@dataclass(frozen=True)
class Bubble:
    code: str
    label: str
    count: int
    x: float
    y: float
    r: float
    labelled: bool = False  # whether its name is written under it (the larger ones, if room)


@dataclass(frozen=True)
class WorldMap:
    width: float
    height: float
    land: str
    bubbles: tuple[Bubble, ...]  # largest first, so that smaller ones are drawn on top
    unplaced: tuple[tuple[str, int], ...]  # (label, count) of codes the map has no point for


@dataclass(frozen=True)
class Tile:
    code: str
    column: int
    row: int
    label: str
    count: int
    level: int  # 0 (nobody) to LEVELS


@dataclass(frozen=True)
class TileMap:
    columns: int
    rows: int
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class TilePlace:
    code: str
    column: int
    row: int
    name_zh: str
    name_en: str


@lru_cache(maxsize=1)
def _world() -> dict:
    return json.loads((DATA / "world_map.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def tile_places() -> tuple[TilePlace, ...]:
    with (DATA / "province_tiles.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(TilePlace(row["code"], int(row["column"]), int(row["row"]),
                               row["name_zh"], row["name_en"]) for row in csv.DictReader(handle))


def world_map(counts: Iterable[tuple[str, int]], label: Callable[[str], str],
              max_radius: float = 26.0, min_radius: float = 2.5) -> WorldMap:
    """Bubbles for ``counts`` of (ISO 3166-1 alpha-2, people); ``label`` names a code."""
    world = _world()
    points: dict[str, list[float]] = world["points"]
    rows = [(code, count) for code, count in counts if code and count > 0]
    largest = max((count for _code, count in rows), default=0)
    bubbles, unplaced = [], []
    for code, count in rows:
        point = points.get(code.upper())
        if point is None:
            unplaced.append((label(code), count))
            continue
        radius = max(min_radius, max_radius * math.sqrt(count / largest))
        bubbles.append(Bubble(code.upper(), label(code), count, point[0], point[1],
                              round(radius, 1)))
    bubbles.sort(key=lambda bubble: (-bubble.count, bubble.code))
    return WorldMap(world["width"], world["height"], world["land"], _label(bubbles),
                    tuple(unplaced))


def _label(bubbles: list[Bubble], most: int = 10, char_width: float = 6.5,
           line: float = 13.0) -> tuple[Bubble, ...]:
    """Name the largest bubbles, as long as a name's box overlaps no name already written."""
    boxes: list[tuple[float, float, float, float]] = []
    named = []
    for bubble in bubbles:
        width = char_width * (len(bubble.label) + len(str(bubble.count)) + 1)
        top = bubble.y + bubble.r + 1
        box = (bubble.x - width / 2, top, bubble.x + width / 2, top + line)
        free = len(boxes) < most and not any(
            box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
            for other in boxes)
        if free:
            boxes.append(box)
        named.append(replace(bubble, labelled=free))
    return tuple(named)


def level(count: int, largest: int) -> int:
    """The shade of a tile: 0 for nobody, else 1..LEVELS in proportion to the largest count."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * count / largest)))


def short_name(name_zh: str) -> str:
    """A province's name as a tile holds it: 广西壮族自治区 -> 广西, 北京市 -> 北京."""
    for ending in _ZH_ENDINGS:
        if name_zh.endswith(ending) and len(name_zh) > len(ending) + 1:
            return name_zh[: -len(ending)]
    return name_zh


def province_tile_map(counts: Mapping[str, int], label: Callable[[TilePlace], str]) -> TileMap:
    """Tiles for ``counts`` of province code (``110000``) -> people; ``label`` names a tile."""
    places = tile_places()
    largest = max((counts.get(place.code, 0) for place in places), default=0)
    tiles = tuple(Tile(place.code, place.column, place.row, label(place),
                       counts.get(place.code, 0), level(counts.get(place.code, 0), largest))
                  for place in places)
    return TileMap(max(place.column for place in places) + 1,
                   max(place.row for place in places) + 1, tiles)
