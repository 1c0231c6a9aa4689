"""Rebuild ``world_map.json`` from Natural Earth's 1:110m land and 1:50m countries.

Not run by Roadshow: a maintainer runs it when the data should change. It needs the npm package
``world-atlas`` (Mike Bostock's TopoJSON of Natural Earth, ISC; Natural Earth is in the public
domain) and ``pycountry`` for the numeric codes::

    npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python -m venv /tmp/map && /tmp/map/bin/pip install pycountry
    /tmp/map/bin/python roadshow/talent/data/build_world_map.py package/ > roadshow/talent/data/world_map.json

What it writes: the land of the world as one SVG path (coastlines only, no borders) in an
equirectangular projection, and for each country the point its people are drawn at (the centroid
of its largest polygon) in the same coordinates.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

SCALE = 2.5  # SVG units per degree
NORTH, SOUTH = 84.0, -58.0  # the latitudes drawn: Antarctica and the Arctic sea are left out


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon + 180.0) * SCALE, 1), round((NORTH - max(SOUTH, min(NORTH, lat))) * SCALE, 1)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def area_and_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """The area and centroid of a ring; one cut at the antimeridian (Russia, Fiji) is joined."""
    xs = [x for x, _y in points]
    if max(xs) - min(xs) > 180:
        points = [(x + 360 if x < 0 else x, y) for x, y in points]
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        return 0.0, points[0][0], points[0][1]
    x = cx / (3 * area)
    return abs(area) / 2, x - 360 if x > 180 else x, cy / (3 * area)


def land_path(topology: dict) -> str:
    arcs = decode_arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        for polygon in polygons(geometry):
            for indexes in polygon:
                points = ring(arcs, indexes)
                if len(points) < 3 or max(y for _x, y in points) < SOUTH:
                    continue  # Antarctica is not drawn
                # a ring cut at the antimeridian (Russia, Fiji) jumps from one edge of the map
                # to the other: each side is drawn as a piece of its own, closed along the edge
                pieces: list[list[tuple[float, float]]] = [[]]
                for point in points:
                    if pieces[-1] and abs(point[0] - pieces[-1][-1][0]) > 180:
                        pieces.append([])
                    pieces[-1].append(point)
                for piece in pieces:
                    projected = [project(x, y) for x, y in piece]
                    if len(projected) >= 3:
                        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in projected) + "Z")
    return "".join(parts)


def country_points(topology: dict) -> dict[str, list[float]]:
    arcs = decode_arcs(topology)
    found: dict[str, tuple[float, float, float]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=str(geometry.get("id", "")).zfill(3))
        if country is None:
            continue
        best = max((area_and_centroid(ring(arcs, polygon[0])) for polygon in polygons(geometry)),
                   default=None)
        # several features may share a code (Australia and its Ashmore and Cartier Islands):
        # the largest polygon of them all places the country
        if best is not None and best[0] > found.get(country.alpha_2, (-1.0, 0, 0))[0]:
            found[country.alpha_2] = best
    return {code: list(project(x, y)) for code, (_area, x, y) in sorted(found.items())}


def main(folder: str) -> None:
    root = Path(folder)
    land = json.loads((root / "land-110m.json").read_text())
    countries = json.loads((root / "countries-50m.json").read_text())
    json.dump({"source": "Natural Earth (public domain) via world-atlas 2 (ISC)",
               "width": project(180, SOUTH)[0], "height": project(180, SOUTH)[1],
               "land": land_path(land), "points": country_points(countries)},
              sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
