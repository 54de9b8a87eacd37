"""Checks of the region reference table ``data/regions.csv`` (built by ``scripts/build_regions.py``)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import ROOT, load_script

REGIONS = ROOT / "data" / "regions.csv"

COLUMNS = load_script("build_regions").COLUMNS  # the script that writes the file owns its columns

# Hand-written English names of Ankang's units: scripts/build_regions.py lets them win over generated pinyin.
ANKANG_EN = {
    "610900": "Ankang City",
    "610902": "Hanbin District",
    "610921": "Hanyin County",
    "610922": "Shiquan County",
    "610923": "Ningshan County",
    "610924": "Ziyang County",
    "610925": "Langao County",
    "610926": "Pingli County",
    "610927": "Zhenping County",
    "610928": "Xunyang County",
    "610929": "Baihe County",
    "610981": "Xunyang City",
}


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pd.read_csv(REGIONS, dtype=str, keep_default_na=False, encoding="utf-8")


def valid_in(df: pd.DataFrame, year: int) -> pd.DataFrame:
    start = df["valid_from"].astype(int)
    end = pd.to_numeric(df["valid_to"].replace("", None)).fillna(9999)
    return df[(start <= year) & (end >= year)]


def test_loads_as_strings(regions: pd.DataFrame) -> None:
    assert list(regions.columns) == COLUMNS
    assert REGIONS.read_bytes()[:3] != b"\xef\xbb\xbf", "no BOM"
    assert len(regions) > 6000
    assert regions["code"].str.fullmatch(r"\d{6}").all()
    assert set(regions["level"]) == {"province", "prefecture", "county"}
    assert regions["valid_from"].str.fullmatch(r"\d{4}").all()
    assert regions["valid_to"].str.fullmatch(r"(\d{4})?").all()


def test_code_valid_from_unique(regions: pd.DataFrame) -> None:
    assert not regions.duplicated(["code", "valid_from"]).any()


def test_sorted(regions: pd.DataFrame) -> None:
    keys = list(zip(regions["code"], regions["valid_from"].astype(int), strict=True))
    assert keys == sorted(keys)


def test_parents_exist(regions: pd.DataFrame) -> None:
    codes = set(regions["code"])
    provinces = regions["level"] == "province"
    assert (regions.loc[provinces, "parent_code"] == "").all()
    assert regions.loc[~provinces, "parent_code"].isin(codes).all()


def test_canonical_codes_exist(regions: pd.DataFrame) -> None:
    assert regions["canonical_code"].isin(set(regions["code"])).all()
    in_use = regions[regions["valid_to"] == ""]
    assert (in_use["canonical_code"] == in_use["code"]).all()


@pytest.mark.parametrize(("year", "xunyang"), [(2020, "610928"), (2024, "610981")])
def test_ankang_children(regions: pd.DataFrame, year: int, xunyang: str) -> None:
    children = valid_in(regions[regions["parent_code"] == "610900"], year)
    assert (children["level"] == "county").all()
    assert len(children) == 10
    assert xunyang in set(children["code"])


def test_xunyang_succession(regions: pd.DataFrame) -> None:
    row = regions[regions["code"] == "610928"].iloc[0]
    assert row["valid_to"] == "2020"
    assert row["successor_code"] == "610981"
    assert row["canonical_code"] == "610981"
    assert regions.loc[regions["code"] == "610981", "valid_from"].tolist() == ["2021"]
    # the same county in 1981-1999 under 安康地区
    assert regions.loc[regions["code"] == "612429", "canonical_code"].tolist() == ["610981"]


def test_ankang_english_names(regions: pd.DataFrame) -> None:
    names = regions.drop_duplicates("code", keep="last").set_index("code")["name_en"]
    assert {code: names[code] for code in ANKANG_EN} == ANKANG_EN


def test_lin_qu_is_a_forestry_district_only_in_shennongjia(regions: pd.DataFrame) -> None:
    """碑林区 is Beilin District (the 林 is part of the name); 神农架林区 alone is a forestry district."""
    names = regions.drop_duplicates("code", keep="last").set_index("code")["name_en"]
    assert (names["610103"], names["140109"], names["429021"]) == (
        "Beilin District",
        "Wanbailin District",
        "Shennongjia Forestry District",
    )
    assert sorted(set(regions.loc[regions["name_en"].str.contains("Forestry"), "name_zh"])) == ["神农架林区"]
    build = load_script("build_regions")
    assert build.english_name("碑林区", "county") == "Beilin District"
    assert build.english_name("神农架林区", "county") == "Shennongjia Forestry District"


def test_national_county_count_2024(regions: pd.DataFrame) -> None:
    counties = valid_in(regions[regions["level"] == "county"], 2024)
    assert 2800 <= len(counties) <= 2900


def test_shaanxi(regions: pd.DataFrame) -> None:
    row = regions[regions["code"] == "610000"].iloc[0]
    assert row["level"] == "province"
    assert row["name_zh"] == "陕西省"
    assert row["name_en"] == "Shaanxi Province"
