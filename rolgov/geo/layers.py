"""A scope code (country, province, city, county), a year and a level in; the map layer of its children out.

The boundaries are today's (the source's vintage, about 2024). Data are stored under canonical codes
(旬阳县 610928 is stored as 旬阳市 610981), so a past year is drawn on today's units: a unit whose
canonical code existed that year is drawn as itself; a unit created later is drawn grey as "not yet
established"; a unit of that year with no boundary today (merged away, e.g. 莱芜市 in 2019) is listed in
`unmapped`, which the map prints under itself rather than dropping it silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from rolgov import regions
from rolgov.geo import topology as topo

COUNTRY = regions.COUNTRY  # the whole country: not a code of the reference, a scope and a map
LEVELS = ("province", "prefecture", "county")
# The area a map's detail is chosen for: a map drawn bigger than this looks a little coarser when zoomed.
VIEW_WIDTH_PX, VIEW_HEIGHT_PX = 700, 480
SOUTH_SEA_NORTH = 18.0  # parts wholly south of this latitude (南海诸岛) go to the inset, not the main map


@dataclass(frozen=True)
class MapLayer:
    """What a map of `scope` at `level` in `year` draws. Shared and cached: do not mutate."""

    scope: str
    level: str
    year: int | None
    codes: tuple[str, ...]  # units drawn, current reference codes, in code order
    geojson: dict  # FeatureCollection of `codes` (feature id = properties.code; properties.name, .label)
    others: dict  # FeatureCollection of areas with no reference code (台湾省's counties...), drawn grey
    lines: list  # boundary lines (境界线: South China Sea dashes, sea borders) as [[lon, lat], ...]
    not_established: tuple[str, ...] = ()  # drawn units that did not exist in `year`
    unmapped: tuple[tuple[str, str], ...] = ()  # (code, name) of units of `year` with no boundary
    drill: dict[str, str] = field(default_factory=dict)  # unit -> scope to open when it is clicked
    tolerance: float = 0.0  # degrees: the detail the geometry was simplified to

    def name(self, code: str, lang: str = "zh") -> str:
        """A unit's name as in force in the layer's year (what regions.name_of says, for all codes at once)."""
        return names(self.year, lang).get(code, code)


@regions.derived(maxsize=64)  # every year of data in both languages
def names(year: int | None, lang: str = "zh") -> dict[str, str]:
    """Canonical code -> the name in force in `year` (today's name for a unit not yet established)."""
    latest, today = _todays_names(lang)
    out = dict(today)
    if year is not None:
        column = "name_zh" if lang == "zh" else "name_en"
        in_year = regions.valid_in(latest, year)
        out.update(zip(in_year["canonical_code"], in_year[column], strict=True))
    return out


@regions.derived(maxsize=2)
def _todays_names(lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The reference by start year, and canonical code -> today's name: what names() adds a year to (the
    sort and the 20,000-entry dict were most of its 0.1 s on each year's first visit)."""
    column = "name_zh" if lang == "zh" else "name_en"
    latest = regions.reference().sort_values("valid_from", na_position="first")
    out = dict(zip(latest["canonical_code"], latest[column], strict=True))
    current = latest["code"] == latest["canonical_code"]
    out.update(zip(latest["code"][current], latest[column][current], strict=True))
    return latest, out


@regions.derived(maxsize=1)
def _current() -> pd.DataFrame:
    """Units in use today, indexed by code: level, parent_code, province."""
    ref = regions.reference()
    now = ref[ref["valid_to"].isna() & (ref["level"] != "own_level")].set_index("code")
    parent = now["parent_code"].to_dict()
    levels = now["level"].to_dict()

    def province(code: str) -> str:
        while levels.get(code) not in ("province", None):
            code = parent[code]
        return code

    return now[["level", "parent_code"]].assign(province=[province(c) for c in now.index])


def _unit_rows(frame: pd.DataFrame, level: str, provinces: set[str]) -> pd.DataFrame:
    """Rows that are units at `level`: a prefecture level also counts county-level units under a province."""
    if level == "prefecture":
        return frame[
            (frame["level"] == "prefecture") | ((frame["level"] == "county") & frame["parent_code"].isin(provinces))
        ]
    return frame[frame["level"] == level]


def levels(scope: str) -> list[str]:
    """The levels a map of `scope` can show, the default first (a municipality goes straight to districts)."""
    if scope == COUNTRY:
        return list(LEVELS)
    kind = regions.level(scope)
    if kind == "province":
        has_prefectures = ((_current()["parent_code"] == scope) & (_current()["level"] == "prefecture")).any()
        return ["prefecture", "county"] if has_prefectures else ["county"]
    if kind in ("prefecture", "county"):
        return ["county"]
    raise ValueError(f"不是地区代码 / not a region code: {scope!r}")


def parent_scope(scope: str) -> str | None:
    """The scope one level up (a county's city or province, a province's country); None for the country."""
    if scope == COUNTRY:
        return None
    levels(scope)  # raises for an unknown code
    now = _current()
    if scope not in now.index or now.loc[scope, "level"] == "province":
        return COUNTRY
    return now.loc[scope, "parent_code"]


def _under(scope: str) -> pd.DataFrame:
    """Today's units inside a scope (a county: itself)."""
    now = _current()
    if scope == COUNTRY:
        return now
    kind = regions.level(scope)
    if kind == "province":
        return now[now["province"] == scope]
    return now[now["parent_code"] == scope] if kind == "prefecture" else now.loc[[scope]]


def _has_units_below(code: str) -> bool:
    now = _current()
    return bool(((now["parent_code"] == code) | ((now["province"] == code) & (now.index != code))).any())


def _members(scope: str, level: str) -> list[tuple[str, str]]:
    """(layer, code) of the units drawn for scope at level; a unit with no units below stands for itself."""
    now = _current()
    leaves = topo.load().objects["counties"]
    under = _under(scope)
    if level == "province":
        return [("provinces", c) for c in under.index[under["level"] == "province"]]
    if regions.level(scope) == "county":
        return [("counties", scope)] if scope in leaves else []
    if level == "prefecture":
        direct = under[(under["level"] == "prefecture") | (under["parent_code"].map(now["level"]) == "province")]
        members = [("prefectures" if now.loc[c, "level"] == "prefecture" else "counties", c) for c in direct.index]
    else:
        members = [("counties", c) for c in under.index if c in leaves]
    # provinces with nothing below them in the reference (台湾省, 香港) stand for themselves
    provinces = under.index[under["level"] == "province"] if scope == COUNTRY else [scope]
    covered = {now.loc[c, "province"] for _, c in members if c in now.index} | {c for _, c in members}
    if regions.level(scope) == "prefecture" and not members:
        members = [("counties", scope)] if scope in leaves else [("prefectures", scope)]
    members += [("provinces", p) for p in provinces if p not in covered and regions.level(p) == "province"]
    return sorted(set(members), key=lambda m: m[1])


def _others(scope: str, level: str, drawn_provinces: set[str]) -> list[str]:
    """Areas without a reference code that lie in the scope and are not inside a drawn unit."""
    out = []
    for key, g in topo.load().objects["other_areas"].items():
        props = g["properties"]
        in_scope = scope in (COUNTRY, props["province"], props.get("prefecture"))
        inside_drawn = props["province"] in drawn_provinces or (level != "county" and props.get("prefecture"))
        if in_scope and not inside_drawn and level != "province":
            out.append(key)
    return out


def tolerance_for(box: tuple[float, float, float, float] | None) -> float:
    """Half a pixel, in degrees, for `box` fitted into the nominal view."""
    if box is None:
        return 0.0
    x0, y0, x1, y1 = box
    y0 = max(y0, SOUTH_SEA_NORTH) if y1 > SOUTH_SEA_NORTH + 1 else y0  # the main map, without the inset
    wide = (x1 - x0) * math.cos(math.radians((y0 + y1) / 2))
    return max(wide / VIEW_WIDTH_PX, (y1 - y0) / VIEW_HEIGHT_PX) / 2


def _year_status(codes: list[str], scope: str, level: str, year: int) -> tuple[tuple, tuple]:
    """(drawn codes not established in year, (code, name) of that year's units with no boundary)."""
    ref = regions.reference()
    ref = ref[ref["level"] != "own_level"]
    in_year = regions.valid_in(ref, year)
    existing = set(in_year["canonical_code"])
    absent = tuple(c for c in codes if c not in existing)
    below = in_year if scope == COUNTRY else regions.valid_in(regions.descendants(ref, scope), year)
    if regions.level(scope) == "county":
        below = in_year[in_year["code"] == scope]
    provinces = set(in_year.loc[in_year["level"] == "province", "code"])
    units = _unit_rows(below, level, provinces)
    drawn = set(codes)
    unmapped = units[~units["canonical_code"].isin(drawn)].drop_duplicates("canonical_code")
    return absent, tuple(zip(unmapped["code"], unmapped["name_zh"], strict=True))


@regions.derived(maxsize=32)
def _drawn(scope: str, level: str, tolerance: float | None) -> tuple:
    """What a map draws whatever the year (members, simplified features, grey areas, lines, detail, drill):
    decoding the arcs is most of a layer's time (a third of a second for the country), so it is done once
    per scope and level, and each year only names the units and marks the ones not yet established."""
    t = topo.load()
    members = _members(scope, level)
    box = topo.bbox(t, [t.objects[layer][code] for layer, code in members])
    tol = tolerance_for(box) if tolerance is None else tolerance
    features = []
    for layer, code in members:
        feature = topo.feature(t, layer, code, tol)
        if feature is not None:
            feature["properties"].update(label=t.objects[layer][code]["properties"]["label"])
            features.append(feature)
    drawn_provinces = {c for layer, c in members if layer == "provinces"}
    others = []
    for key in _others(scope, level, drawn_provinces):
        feature = topo.feature(t, "other_areas", key, tol)
        if feature is not None:
            feature["id"] = feature["properties"]["code"] = f"other-{key}"  # never a reference code
            feature["properties"]["label"] = t.objects["other_areas"][key]["properties"]["label"]
            others.append(feature)
    lines = topo.line_coordinates(t, box, tol) if box else []
    drill = {c: c for layer, c in members if layer != "counties" and c != scope and _has_units_below(c)}
    return members, features, others, lines, tol, drill


@regions.derived(maxsize=64)
def children(scope: str, year: int | None = None, level: str | None = None, tolerance: float | None = None) -> MapLayer:
    """The map of a scope's units one level down (or at `level`), for `year` (None: today's units).

    scope: COUNTRY ("000000"), a province, a prefecture or a county code (a county draws itself).
    level: "province" | "prefecture" | "county"; default: levels(scope)[0]. The prefecture level of a
    province is its cities plus the county-level units directly under it (省直辖, e.g. 仙桃市).
    tolerance: degrees; default: half a pixel of the nominal 700 x 480 px view of the layer.
    """
    allowed = levels(scope)
    level = level or allowed[0]
    if level not in allowed:
        raise ValueError(f"{scope} 的地图没有“{level}”这一级 / no {level!r} level under {scope}; choose from {allowed}")
    members, shapes, others, lines, tol, drill = _drawn(scope, level, tolerance)
    codes = [c for _, c in members]
    named = names(year)
    features = [{**f, "properties": {**f["properties"], "name": named[f["id"]]}} for f in shapes]
    if year is None:
        absent = ()
        below = set(_under(scope).index) if level == "county" else set()
        unmapped = tuple((c, n) for c, n in topo.load().metadata["no_geometry"].items() if c in below)
    else:
        absent, unmapped = _year_status(codes, scope, level, year)
    return MapLayer(
        scope=scope,
        level=level,
        year=year,
        codes=tuple(f["id"] for f in features),
        geojson={"type": "FeatureCollection", "features": features},
        others={"type": "FeatureCollection", "features": others},
        lines=lines,
        not_established=absent,
        unmapped=unmapped,
        drill=drill,
        tolerance=tol,
    )


def layer_for(codes: list[str], year: int | None = None) -> MapLayer:
    """The smallest map holding every known code: their common parent's, else their province's, else the
    country's. Codes the reference does not know today are left for the caller to reject."""
    now = _current()
    known = [c for c in map(str, codes) if c in now.index]
    candidates = []
    if known:
        parents = {now.loc[c, "parent_code"] or COUNTRY for c in known}
        provinces = {now.loc[c, "province"] for c in known}
        if len(parents) == 1:
            candidates.append(parents.pop())
        if len(provinces) == 1:
            candidates.append(provinces.pop())
    candidates.append(COUNTRY)
    for scope in candidates:
        for level in levels(scope):
            layer = children(scope, year, level)
            if set(known) <= set(layer.codes):
                return layer
    return children(COUNTRY, year, "county")
