"""The source viewer: one page per source (reports/sources/<source_id>.html) showing its text with every
extracted fact highlighted at its span, coloured by attribute, with entity, attribute and value on hover;
lines that look factual but yielded nothing are marked. Each fact has an anchor ``#o-<observation_id>``,
which the programs page links to. Source text is untrusted: every piece goes through escaping.

:func:`segments` and :func:`highlight` are pure; :func:`write_source_viewer` reads nothing but its arguments
and writes the pages.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from flows.report.render import render, write_atomic

#: colour-blind-safe-ish palette; an attribute's colour is fixed by a hash of its name
PALETTE = ("#ffe08a", "#b5e3ff", "#c8f0c0", "#ffc9c9", "#e3d2ff", "#ffd8a8", "#c5f2ee", "#f4c2e7",
           "#d8e2a8", "#cfd8ff", "#f9e0c7", "#d3f0d0")


#: the observation columns the viewer shows or places (write_live_pages hands it only these, as dicts)
OBSERVATION_COLUMNS = ("observation_id", "source_id", "entity_type", "entity_id", "attribute", "value",
                       "char_start", "char_end", "quote")


@lru_cache(maxsize=1 << 16)  # pure; the programs page asks once per link (60,000 at 2,000 sources)
def page_name(source_id: str) -> str:
    """File name of a source's page (source ids are slugs; anything else is made safe)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", str(source_id)) + ".html"


@lru_cache(maxsize=1024)  # pure; once per highlighted piece, over a few dozen attributes
def colour(attribute: str) -> int:
    return zlib.crc32(str(attribute).encode()) % len(PALETTE)


def segments(length: int, facts: list[dict], unclaimed: list[tuple[int, int, str]]) -> list[dict]:
    """Cut ``[0, length)`` at every fact and unclaimed-line boundary; each piece lists what covers it.

    A sweep over the boundaries (facts may nest or overlap), linear in pieces x overlap depth."""
    def clip(v: int) -> int:
        return max(0, min(length, v))

    opens: dict[int, list] = {}
    closes: dict[int, list] = {}
    empty: dict[int, list] = {}  # zero-width facts: an anchor, nothing to highlight
    for kind, items in (("fact", facts), ("line", unclaimed)):
        for item in items:
            s, e = (item["char_start"], item["char_end"]) if kind == "fact" else item[:2]
            s, e = clip(s), clip(e)
            if e <= s:
                if kind == "fact":
                    empty.setdefault(min(s, max(length - 1, 0)), []).append(item)
                continue
            opens.setdefault(s, []).append((kind, item))
            closes.setdefault(e, []).append((kind, item))
    points = sorted({0, length} | set(opens) | set(closes))
    active_facts: dict[int, dict] = {}
    active_lines: dict[int, tuple] = {}
    out = []
    for a, b in zip(points, points[1:]):
        for kind, item in closes.get(a, []):
            (active_facts if kind == "fact" else active_lines).pop(id(item), None)
        anchors = list(empty.get(a, []))
        for kind, item in opens.get(a, []):
            if kind == "fact":
                active_facts[id(item)] = item
                anchors.append(item)
            else:
                active_lines[id(item)] = item
        out.append({"start": a, "end": b, "facts": list(active_facts.values()),
                    "unclaimed": list(active_lines.values()), "anchors": anchors})
    return out


def _title(facts: list[dict]) -> str:
    return "\n".join(f"{f.get('entity_type')} {f.get('entity_id')} · {f.get('attribute')} = {f.get('value')}"
                     for f in facts)


def highlight(text: str, facts: list[dict], unclaimed: list[tuple[int, int, str]]) -> Markup:
    """The source text as escaped HTML with facts in <mark> and unclaimed lines in <span class=unclaimed>."""
    out: list[str] = []    # the page's fragments; the escaped ones are filled in at the end
    raw: list[str] = []    # what is to be escaped, in order
    slots: list[int] = []  # where each goes in ``out``

    def esc(value) -> None:
        slots.append(len(out))
        raw.append(str(value))
        out.append("")

    for seg in segments(len(text), facts, unclaimed):
        for f in seg["anchors"]:
            out.append('<a class="anchor" id="o-')
            esc(f["observation_id"])
            out.append('"></a>')
        lines, active = seg["unclaimed"], seg["facts"]
        if lines:
            out.append('<span class="unclaimed" title="')
            esc("no fact read: " + "; ".join(sorted({r for _, _, r in lines})))
            out.append('">')
        if active:
            inner = min(active, key=lambda f: f["char_end"] - f["char_start"])
            out.append(f'<mark class="c{colour(inner["attribute"])}" data-attr="')
            esc(inner["attribute"])
            out.append('" title="')
            esc(_title(active))
            out.append('">')
        esc(text[seg["start"]:seg["end"]])
        if active:
            out.append("</mark>")
        if lines:
            out.append("</span>")
    for pos, escaped in zip(slots, _escape_all(raw)):
        out[pos] = escaped
    return Markup("".join(out))


def _escape_all(strings: list[str]) -> list[str]:
    """``str(escape(s))`` for each of ``strings``, with one call of markupsafe's escape over them all, joined by
    a NUL: escaping maps each character on its own and leaves NUL as it is, so the pieces split back exactly.
    A source with a NUL of its own is escaped piece by piece. (A page makes ~5 escapes per highlighted
    piece, 100+ per page; one call each was a third of the source viewer's time at 10,000 sources.)"""
    joined = "\0".join(strings)
    parts = str(escape(joined)).split("\0")
    if len(parts) != len(strings):
        return [str(escape(s)) for s in strings]
    return parts


def source_page(source: dict, text: str | None, facts: list[dict], unclaimed: list[tuple[int, int, str]],
                publication: str | None) -> str:
    """One source's page (pure): ``text`` None when the file is gone or changed since publication."""
    facts = sorted(facts, key=lambda f: (f["char_start"], -f["char_end"]))
    mismatched = [f for f in facts if text is not None and text[f["char_start"]:f["char_end"]] != f.get("quote")]
    attrs = sorted({f["attribute"] for f in facts})
    return render("source.html.j2", root="../", here="sources/index.html", source=source, palette=PALETTE,
                  body=highlight(text, facts, unclaimed) if text is not None else None,
                  facts=facts, mismatched=mismatched, unclaimed=unclaimed,
                  legend=[(a, colour(a), sum(1 for f in facts if f["attribute"] == a)) for a in attrs],
                  describes=f"Source text and the facts of publication {publication or '-'}.")


def write_source_viewer(sources: list[dict], texts: dict[str, str], observations: list[dict],
                        unclaimed: dict[str, list[tuple[int, int, str]]], reports: Path,
                        publication: str | None) -> list[Path]:
    """Write reports/sources/<source_id>.html for every source and reports/sources/index.html."""
    out_dir = Path(reports) / "sources"
    by_source: dict[str, list[dict]] = {}
    for o in observations:
        by_source.setdefault(o["source_id"], []).append(o)
    written, listing = [], []
    for s in sources:
        sid = s["source_id"]
        facts = by_source.get(sid, [])
        text = texts.get(sid)
        page = page_name(sid)
        written.append(write_atomic(out_dir / page, source_page(s, text, facts, unclaimed.get(sid, []), publication)))
        listing.append({**s, "page": page, "n_facts": len(facts), "n_unclaimed": len(unclaimed.get(sid, [])),
                        "readable": text is not None})
    written.append(write_atomic(out_dir / "index.html", render(
        "sources_index.html.j2", root="../", here="sources/index.html", sources=listing,
        describes=f"Sources of publication {publication or '-'}.")))
    return written


def fact_link(observation: dict) -> str:
    """Relative link from reports/ to one fact in the viewer."""
    return f"sources/{page_name(observation['source_id'])}#o-{observation['observation_id']}"
