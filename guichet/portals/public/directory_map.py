"""A map of places drawn on the server as SVG: no tile server, no external asset, works offline.

Positions are projected with an equirectangular projection scaled by the cosine of the mean latitude, which is
faithful enough at the scale of a département or of metropolitan France. The map is decorative (hidden from
assistive technologies): the list of places beside it is the real content.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Metropolitan France with Corsica (south, north, west, east).
METROPOLE_BOUNDS = (41.2, 51.2, -5.3, 9.7)
WIDTH = 600
MARGIN = 12
LABELLED_PLACES_MAX = 25


@dataclass(frozen=True)
class MapPoint:
    latitude: float
    longitude: float
    label: str = ""
    url: str = ""


@dataclass(frozen=True)
class Bounds:
    south: float
    north: float
    west: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


def bounds_around(points: Iterable[tuple[float, float]], *, padding: float = 0.08) -> Bounds | None:
    points = list(points)
    if not points:
        return None
    latitudes = [latitude for latitude, _longitude in points]
    longitudes = [longitude for _latitude, longitude in points]
    south, north, west, east = min(latitudes), max(latitudes), min(longitudes), max(longitudes)
    pad_latitude = max((north - south) * padding, 0.05)
    pad_longitude = max((east - west) * padding, 0.05)
    return Bounds(south - pad_latitude, north + pad_latitude, west - pad_longitude, east + pad_longitude)


METROPOLE = Bounds(*METROPOLE_BOUNDS)


def map_svg(
    *,
    bounds: Bounds,
    places: Sequence[MapPoint],
    background: Iterable[tuple[float, float]] = (),
) -> SafeString:
    """An inline SVG: faint dots for `background` positions, a linked and titled dot per place inside `bounds`."""
    scale_x = math.cos(math.radians((bounds.south + bounds.north) / 2))
    span_x = max((bounds.east - bounds.west) * scale_x, 1e-6)
    span_y = max(bounds.north - bounds.south, 1e-6)
    ratio = (WIDTH - 2 * MARGIN) / span_x
    height = round(span_y * ratio + 2 * MARGIN)

    def project(latitude: float, longitude: float) -> tuple[float, float]:
        x = MARGIN + (longitude - bounds.west) * scale_x * ratio
        y = MARGIN + (bounds.north - latitude) * ratio
        return round(x, 1), round(y, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="guichet-map" aria-hidden="true" focusable="false">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#f6f6f6" stroke="#929292"/>',
    ]
    for latitude, longitude in background:
        if bounds.contains(latitude, longitude):
            x, y = project(latitude, longitude)
            parts.append(f'<circle cx="{x}" cy="{y}" r="1.2" fill="#c1c1fb"/>')
    visible = [point for point in places if bounds.contains(point.latitude, point.longitude)]
    # Places of one commune share its centre: one dot per position, so that labels never pile up.
    groups: dict[tuple[float, float], list[MapPoint]] = {}
    for point in visible:
        groups.setdefault(project(point.latitude, point.longitude), []).append(point)
    show_labels = len(groups) <= LABELLED_PLACES_MAX
    for (x, y), members in groups.items():
        names = " ; ".join(member.label for member in members if member.label)
        label = members[0].label if len(members) == 1 else f"{len(members)} lieux"
        dot = format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="#000091" stroke="#ffffff" stroke-width="1.5">'
            "<title>{}</title></circle>",
            x,
            y,
            5 if len(members) == 1 else 7,
            names,
        )
        if show_labels and label:
            # Labels of dots near the right edge go to their left, so that they stay inside the map.
            on_the_left = x > WIDTH * 0.7
            dot += format_html(
                '<text x="{}" y="{}" font-size="10" fill="#161616" text-anchor="{}">{}</text>',
                x - 9 if on_the_left else x + 9,
                y + 3,
                "end" if on_the_left else "start",
                label[:40],
            )
        if len(members) == 1 and members[0].url:
            parts.append(format_html('<a href="{}" tabindex="-1">{}</a>', members[0].url, dot))
        else:
            parts.append(str(dot))
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every value above is escaped or numeric)
