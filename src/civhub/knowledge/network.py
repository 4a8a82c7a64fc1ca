"""Draw a network of countries as SVG markup: a pure function, no database, no randomness.

Nodes are placed on a circle in the order of their labels (so the same data in the same
language always gives the same picture); edges are curved arrows from source to target whose
width grows with the number of transfers. The figure is `role="img"` with a `<title>` and a
`<desc>`; the page puts a table beside it that says the same in words.

The markup obeys the site's Content-Security-Policy (`style-src 'self'`): no `style`
attributes and no `<style>` or `<script>` elements; colours and widths are SVG presentation
attributes, and the font comes from `.network-figure` in site.css. Every text is escaped.

Inputs are duck-typed (see `Node` and `Edge`): the knowledge service's `NetworkNode` and
`NetworkEdge` fit, and so do simple objects in tests.
"""

import math
from collections.abc import Sequence
from typing import Protocol

from django.utils.html import escape

WIDTH, HEIGHT = 800, 640  # the layout's own space; the viewBox is fitted around the drawing
RADIUS = 230  # of the circle the nodes sit on
FONT_SIZE = 26  # large, because the figure is usually drawn at half to two thirds of its size
CHAR_WIDTH = 0.62  # an estimate of a character's width, in ems, to fit labels in the viewBox
MARGIN = 12
INK, ACCENT, PAPER = "#1b1f24", "#0b5394", "#ffffff"


class Node(Protocol):
    key: str  # unique, e.g. an ISO country code
    label: str  # what the reader sees, e.g. the country's name in the page's language
    title: str  # a longer text (shown as a tooltip)
    total: int  # how many transfers touch the node; sizes the circle


class Edge(Protocol):
    source_key: str
    target_key: str
    count: int  # sizes the stroke
    title: str


def _n(value: float) -> str:
    """A coordinate with one decimal, the same on every machine ("-0.0" becomes "0")."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def node_radius(total: int) -> float:
    return min(8 + 3 * math.sqrt(max(total, 0)), 22)


def edge_width(count: int) -> float:
    return min(2.5 + 1.5 * (max(count, 1) - 1), 11)


def layout(nodes: Sequence[Node]) -> dict[str, tuple[float, float]]:
    """Positions on a circle, clockwise from the top, in the order of the labels."""
    ordered = sorted(nodes, key=lambda node: (str(node.label).casefold(), str(node.key)))
    cx, cy = WIDTH / 2, HEIGHT / 2
    if len(ordered) == 1:
        return {ordered[0].key: (cx, cy)}
    positions = {}
    for index, node in enumerate(ordered):
        angle = -math.pi / 2 + 2 * math.pi * index / len(ordered)
        positions[node.key] = (cx + RADIUS * math.cos(angle), cy + RADIUS * math.sin(angle))
    return positions


def _edge_path(start, end, r_start: float, r_end: float) -> str:
    """A gentle curve bending to the right of its direction, so that the arrows of A->B and
    B->A do not lie on top of each other; it stops at the edge of each circle."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    # control point: the midpoint pushed sideways (to the right) by 15% of the length
    qx = (x1 + x2) / 2 - dy * 0.15
    qy = (y1 + y2) / 2 + dx * 0.15

    def towards(px, py, fx, fy, distance):
        ux, uy = fx - px, fy - py
        norm = math.hypot(ux, uy) or 1.0
        return px + ux / norm * distance, py + uy / norm * distance

    sx, sy = towards(x1, y1, qx, qy, r_start + 2)
    ex, ey = towards(x2, y2, qx, qy, r_end + 3)
    return f"M {_n(sx)} {_n(sy)} Q {_n(qx)} {_n(qy)} {_n(ex)} {_n(ey)}"


def _label_box(label: str, x: float, y: float, anchor: str) -> tuple[float, float, float, float]:
    """An estimate of the label's box (left, top, right, bottom), to fit the viewBox around it."""
    width = len(label) * FONT_SIZE * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - FONT_SIZE, left + width, y + FONT_SIZE * 0.3


def _label_position(x: float, y: float, radius: float) -> tuple[float, float, str]:
    """Labels sit outside the circle, on the side facing away from its centre."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    dx, dy = x - cx, y - cy
    distance = math.hypot(dx, dy)
    if distance < 1:  # a lone node in the centre: label below it
        return x, y + radius + FONT_SIZE + 4, "middle"
    ux, uy = dx / distance, dy / distance
    lx, ly = x + ux * (radius + 8), y + uy * (radius + 8)
    if abs(ux) < 0.3:
        anchor = "middle"
        ly += FONT_SIZE * 0.9 if uy > 0 else -4
    else:
        anchor = "start" if ux > 0 else "end"
        ly += FONT_SIZE * 0.35
    return lx, ly, anchor


def render_svg(
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    *,
    title: str,
    description: str,
    id_prefix: str = "network",
) -> str:
    """The SVG markup of the network (a string; the caller marks it safe)."""
    prefix = escape(id_prefix)
    positions = layout(nodes)
    radii = {node.key: node_radius(node.total) for node in nodes}
    ordered = sorted(nodes, key=lambda node: (str(node.label).casefold(), str(node.key)))
    labels = {}
    left, top, right, bottom = WIDTH / 2, HEIGHT / 2, WIDTH / 2, HEIGHT / 2
    for node in ordered:
        x, y = positions[node.key]
        radius = radii[node.key]
        lx, ly, anchor = labels[node.key] = _label_position(x, y, radius)
        box_left, box_top, box_right, box_bottom = _label_box(str(node.label), lx, ly, anchor)
        left, top = min(left, x - radius, box_left), min(top, y - radius, box_top)
        right, bottom = max(right, x + radius, box_right), max(bottom, y + radius, box_bottom)
    left, top, right, bottom = left - MARGIN, top - MARGIN, right + MARGIN, bottom + MARGIN
    width, height = right - left, bottom - top
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-figure" role="img" '
        f'viewBox="{_n(left)} {_n(top)} {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" '
        f'aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        "<defs>",
        f'<marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        f'markerWidth="16" markerHeight="16" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{ACCENT}"/></marker>',
        "</defs>",
        '<g class="network-edges">',
    ]
    for edge in sorted(edges, key=lambda e: (str(e.source_key), str(e.target_key))):
        if edge.source_key not in positions or edge.target_key not in positions:
            continue
        path = _edge_path(
            positions[edge.source_key],
            positions[edge.target_key],
            radii[edge.source_key],
            radii[edge.target_key],
        )
        out.append(
            f'<path class="network-edge" d="{path}" fill="none" stroke="{ACCENT}" '
            f'stroke-width="{_n(edge_width(edge.count))}" stroke-linecap="round" '
            f'marker-end="url(#{prefix}-arrow)"><title>{escape(edge.title)}</title></path>'
        )
    out.append("</g>")
    out.append('<g class="network-nodes">')
    for node in ordered:
        x, y = positions[node.key]
        radius = radii[node.key]
        lx, ly, anchor = labels[node.key]
        out.append(
            f'<g class="network-node"><title>{escape(node.title)}</title>'
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}" fill="{PAPER}" '
            f'stroke="{INK}" stroke-width="2"/>'
            f'<text x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}" '
            f'font-size="{FONT_SIZE}" fill="{INK}">{escape(node.label)}</text></g>'
        )
    out.append("</g></svg>")
    return "".join(out)
