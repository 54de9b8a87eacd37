"""Names on a map: which fit inside their unit at the drawn size, and how a map prints them (陕西, Hanbin).

plotly never hides a label that does not fit, so the choice is made here, in Python, from each
unit's label point and room (the `label` property the build stores: [lon, lat, r]) and a Mercator
estimate of the drawn scale. A page that knows it is narrow passes its width (choropleth(width_px=)).
"""

from __future__ import annotations

import math

LABEL_FONT_PX = 11


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _text_width(text: str, font_px: float) -> float:
    return sum(font_px if ord(ch) > 0x2E80 else 0.6 * font_px for ch in text)


def fitting_labels(features: list[dict], texts: dict[str, str], width_px: float, height_px: float) -> list[str]:
    """Codes whose name fits inside their unit at the drawn size (Mercator estimate) and overlaps no other."""
    points = [p for f in features for poly in f["geometry"]["coordinates"] for p in poly[0]]
    if not points:
        return []
    xs = [math.radians(p[0]) for p in points]
    ys = [_mercator_y(p[1]) for p in points]
    k = min(width_px / max(max(xs) - min(xs), 1e-9), height_px / max(max(ys) - min(ys), 1e-9))
    boxes, chosen = [], []
    by_room = sorted(features, key=lambda f: -f["properties"]["label"][2])
    for f in by_room:
        lon, lat, radius = f["properties"]["label"]
        text = texts.get(f["id"], "")
        w, h = _text_width(text, LABEL_FONT_PX), LABEL_FONT_PX * 1.2
        r_px = math.radians(radius) * k / math.cos(math.radians(lat))
        if not text or w / 2 > 1.05 * r_px or h / 2 > r_px:
            continue
        cx, cy = math.radians(lon) * k, _mercator_y(lat) * k
        box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        boxes.append(box)
        chosen.append(f["id"])
    return chosen


_PROVINCE_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", " Special Administrative Region",
    " Uygur Autonomous Region", " Zhuang Autonomous Region", " Hui Autonomous Region", " Autonomous Region",
    " Province", " Municipality", " Administrative Region",
)  # fmt: skip
# English names lose their kind on the map, where room is short (the page's overview did this by hand)
_ENGLISH_SUFFIXES = (" Autonomous County", " Autonomous Prefecture", " District", " County", " City", " League")


def short_label(name: str, level: str) -> str:
    """A name as a map prints it: 陕西 for 陕西省, Guangxi, Hanbin for Hanbin District; hover keeps the full name."""
    suffixes = _PROVINCE_SUFFIXES if level == "province" else ()
    for suffix in suffixes + _ENGLISH_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    if level == "province" and len(name) > 2:  # 北京市 -> 北京
        return name.removesuffix("市")
    return name


def wrap_title(title: str, width_px: int, font_px: int = 17) -> str:
    """Break a long title at its " · " separators, then between words, so it fits (plotly never wraps)."""
    room = width_px - 40
    lines: list[str] = []
    for part in title.split(" · "):
        if lines and _text_width(lines[-1] + " · " + part, font_px) <= room:
            lines[-1] += " · " + part
            continue
        lines.append("")
        for word in part.split(" "):
            if lines[-1] and _text_width(lines[-1] + " " + word, font_px) > room:
                lines.append(word)
            else:
                lines[-1] = f"{lines[-1]} {word}".strip()
    return "<br>".join(lines)
