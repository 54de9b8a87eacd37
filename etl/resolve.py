"""Names as people write them -> canonical region codes and indicator ids, with a reason when a name fails.

In: the distinct spellings of a file (a few thousand at most, never one call per row) and the year each
region name is used in. Out: frames mapping each spelling to a code or id, or to a status
(region_unknown, region_ambiguous, indicator_unknown, indicator_derived) and a detail for the message
(the candidates, or the names it may have meant).
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pandas as pd

from rolgov import regions as R
from rolgov.catalog import Catalog


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, list[tuple[str, float, float]]]:
    """alias -> [(canonical_code, valid_from, valid_to)], built once per process."""
    table = R.aliases(R.reference())
    index: dict[str, list[tuple[str, float, float]]] = {}
    for alias, code, start, end in zip(
        table["alias"],
        table["canonical_code"],
        table["valid_from"].astype("Float64").fillna(0),
        table["valid_to"].astype("Float64").fillna(9999),
        strict=True,
    ):
        index.setdefault(alias, []).append((code, float(start), float(end)))
    return index


@lru_cache(maxsize=8)
def _scope_codes(root: str) -> frozenset[str]:
    regions = R.reference()
    codes = set(R.descendants(regions, root)["canonical_code"])
    codes.add(root)
    return frozenset(codes)


def _pick(hits: list[tuple[str, float, float]], year, scope: frozenset[str]) -> list[str]:
    """Narrow candidate codes: first to those valid in the year, then to those inside the scope."""
    codes = list(dict.fromkeys(h[0] for h in hits))
    if len(codes) > 1 and pd.notna(year):
        valid = list(dict.fromkeys(h[0] for h in hits if h[1] <= year <= h[2]))
        codes = valid or codes
    if len(codes) > 1:
        codes = [c for c in codes if c in scope] or codes
    return codes


def region_names(texts, scope_root: str) -> tuple[pd.DataFrame, dict[str, list]]:
    """Each distinct name read once: (region_text, region_code, status, detail) for the names whose reading
    does not depend on the year (one unit, or none: region_unknown with suggestions), and the names that
    several units share, with their candidates, to be read year by year (regions_by_year)."""
    scope = _scope_codes(scope_root)
    index = _alias_index()
    own_words = ("市本级", "本级", "市级", "县本级")
    plain, ambiguous = [], {}
    for text in texts:
        norm = R.normalise_name(text)
        if norm in own_words:
            norm = R.own_level_code(scope_root).lower()
        hits = index.get(norm, [])
        codes = list(dict.fromkeys(h[0] for h in hits))
        if len(codes) == 1:
            plain.append((text, codes[0], "ok", ""))
        elif not codes:
            plain.append((text, None, "region_unknown", _suggest_region(norm, scope)))
        else:
            ambiguous[text] = hits
    return pd.DataFrame(plain, columns=["region_text", "region_code", "status", "detail"]), ambiguous


def regions_by_year(pairs: pd.DataFrame, ambiguous: dict[str, list], scope_root: str) -> pd.DataFrame:
    """For (region_text, year) of names several units share: the one valid that year (or in the scope),
    else region_ambiguous naming the candidates."""
    regions = R.reference()
    scope = _scope_codes(scope_root)
    rows = []
    for text, year in pairs[["region_text", "year"]].itertuples(index=False):
        picked = _pick(ambiguous[text], year, scope)
        if len(picked) == 1:
            rows.append((text, year, picked[0], "ok", ""))
        else:
            names = "；".join(f"{c} {R.name_of(c, None)}（{_parent_name(regions, c)}）" for c in picked[:6])
            rows.append((text, year, None, "region_ambiguous", names))
    return pd.DataFrame(rows, columns=["region_text", "year", "region_code", "status", "detail"])


def resolve_regions(pairs: pd.DataFrame, scope_root: str) -> pd.DataFrame:
    """For distinct (region_text, year): canonical code or a status (unknown/ambiguous) with detail.

    Names are looked up once each; only a name that matches several units is resolved year by year.
    """
    plain, ambiguous = region_names(pairs["region_text"].unique(), scope_root)
    by_text = plain.set_index("region_text")
    simple = pairs[~pairs["region_text"].isin(list(ambiguous))]
    resolved = pd.DataFrame(
        {
            "region_text": simple["region_text"].to_numpy(),
            "year": simple["year"].to_numpy(),
            **{c: simple["region_text"].map(by_text[c]).to_numpy() for c in ("region_code", "status", "detail")},
        }
    )
    by_year = regions_by_year(pairs[pairs["region_text"].isin(list(ambiguous))], ambiguous, scope_root)
    return pd.concat([resolved, by_year], ignore_index=True) if not by_year.empty else resolved


def _parent_name(regions: pd.DataFrame, code: str) -> str:
    parent = regions.loc[regions["code"] == code, "parent_code"]
    return R.name_of(parent.iloc[-1]) if len(parent) and parent.iloc[-1] else ""


def _suggest_region(norm: str, scope: frozenset[str]) -> str:
    regions = R.reference()
    names = list(regions.loc[regions["code"].isin(scope), "name_zh"].unique())
    close = difflib.get_close_matches(norm, names, n=3, cutoff=0.4)
    if not close:
        close = difflib.get_close_matches(norm, list(regions["name_zh"].unique()), n=3, cutoff=0.6)
    return f"；是否指 / did you mean：{'、'.join(close)}" if close else ""


def resolve_indicators(texts: list[str], catalog: Catalog) -> pd.DataFrame:
    """For distinct indicator spellings: id, or status unknown/derived with detail."""
    lookup: dict[str, str] = {}
    for ind in catalog:
        for key in (ind.id, ind.name_zh, ind.name_en):
            lookup[R.normalise_name(key).lower()] = ind.id
    choices = [i.id for i in catalog] + [i.name_zh for i in catalog]
    out = []
    for text in texts:
        hit = lookup.get(R.normalise_name(text).lower())
        if hit is None:
            close = difflib.get_close_matches(str(text), choices, n=3, cutoff=0.5)
            detail = f"；是否指 / did you mean：{'、'.join(close)}" if close else ""
            out.append((text, None, "indicator_unknown", detail))
        elif catalog[hit].derived:
            parts = "、".join(catalog[hit].formula_ids)
            out.append((text, hit, "indicator_derived", f"{catalog[hit].formula}；分量 / components: {parts}"))
        else:
            out.append((text, hit, "ok", ""))
    return pd.DataFrame(out, columns=["indicator_text", "indicator_id", "status", "detail"])
