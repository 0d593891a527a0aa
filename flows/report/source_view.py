"""The source viewer: one page per source (reports/sources/<source_id>.html) showing its text with every
extracted fact highlighted at its span, coloured by attribute, with entity, attribute and value on hover;
lines that look factual but yielded nothing are marked. Each fact has an anchor ``#o-<observation_id>``,
which the programs page links to. Source text is untrusted: every piece goes through escaping.

:func:`segments`, :func:`highlight`, :func:`page_batches` and :func:`render_pages` are pure;
:func:`start_source_viewer` renders the pages (on the refresh's Dask workers when it has some) and writes them.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import polars as pl
from markupsafe import Markup, escape

from flows.report.render import render, write_atomic

#: colour-blind-safe-ish palette; an attribute's colour is fixed by a hash of its name
PALETTE = ("#ffe08a", "#b5e3ff", "#c8f0c0", "#ffc9c9", "#e3d2ff", "#ffd8a8", "#c5f2ee", "#f4c2e7",
           "#d8e2a8", "#cfd8ff", "#f9e0c7", "#d3f0d0")


#: the observation columns the viewer shows or places (each batch carries only these)
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


#: a source viewer of at least twice this many pages is rendered in batches on the refresh's Dask workers, when
#: it has some (``--workers N`` / ``--dask-address``); fewer are not worth shipping (a page takes ~0.35 ms to
#: render and ~0.5 ms to write: 500 pages, under half a second). GRADFACTS_PAGE_BATCH overrides it (the tests
#: use a small one).
PAGES_PER_BATCH = 500
ENV_PAGE_BATCH = "GRADFACTS_PAGE_BATCH"


class PageBatch:
    """Consecutive sources' pages to render, as they travel to a Dask worker: ``sources`` (the sources table's
    rows plus ``_text``, null when unreadable, and ``_unclaimed``, a list of start/end/reason) and the
    ``observations`` of those sources (:data:`OBSERVATION_COLUMNS`). Frames ship as Arrow buffers and Prefect
    passes them as one value; the token names the batch for Dask (hashing a frame would pickle it)."""

    __slots__ = ("sources", "observations", "token")

    def __init__(self, sources, observations, token: str) -> None:
        self.sources, self.observations, self.token = sources, observations, token

    def __dask_tokenize__(self) -> str:
        return self.token


def render_pages(batch: PageBatch, publication: str | None) -> list[str]:
    """The pages of a batch's sources, in its order (pure; runs in the flow or on a Dask worker)."""
    by_source: dict[str, list[dict]] = {}
    for o in batch.observations.iter_rows(named=True):
        by_source.setdefault(o["source_id"], []).append(o)
    pages = []
    for s in batch.sources.iter_rows(named=True):
        text = s.pop("_text")
        unclaimed = [(u["start"], u["end"], u["reason"]) for u in s.pop("_unclaimed") or []]
        pages.append(source_page(s, text, by_source.get(s["source_id"], []), unclaimed, publication))
    return pages


def write_pages(batch: PageBatch, publication: str | None, out_dir: str) -> None:
    """Render a batch's pages and write them to ``out_dir``, flushed to disk together before returning (on a
    worker of a local cluster, which shares this machine's files: writing 10,000 pages costs the flow ~4 s
    more than rendering them). Returns None: nothing is left for the flow to write."""
    from flows.common.files import deferred_fsync

    with deferred_fsync():
        for s, page_html in zip(batch.sources["source_id"], render_pages(batch, publication)):
            write_atomic(Path(out_dir) / page_name(s), page_html)


def page_batches(sources: pl.DataFrame, texts: dict[str, str], observations: pl.DataFrame,
                 unclaimed: dict[str, list[tuple[int, int, str]]], n: int) -> list[PageBatch]:
    """``sources`` cut into ``n`` consecutive batches (at least one), each with its observations (pure)."""
    ids = sources["source_id"].to_list()
    table = sources.with_columns(
        pl.Series("_text", [texts.get(sid) for sid in ids], dtype=pl.Utf8),
        pl.Series("_unclaimed", [[{"start": a, "end": b, "reason": r} for a, b, r in unclaimed.get(sid, [])]
                                 for sid in ids], dtype=UNCLAIMED_DTYPE))
    shown = [c for c in OBSERVATION_COLUMNS if c in observations.columns]
    obs = observations.select(shown) if observations.height else pl.DataFrame(
        schema={c: (pl.Int64 if c.startswith("char_") else pl.Utf8) for c in OBSERVATION_COLUMNS})
    size = max(1, -(-len(ids) // max(1, n)))
    out = []
    for at in range(0, max(len(ids), 1), size):
        part = table.slice(at, size)
        part_ids = part["source_id"]
        out.append(PageBatch(part, obs.filter(pl.col("source_id").is_in(part_ids.implode())),
                             f"pages-{at}-{len(part_ids)}-" + ",".join(part_ids.head(3).to_list())))
    return out


UNCLAIMED_DTYPE = pl.List(pl.Struct({"start": pl.Int64, "end": pl.Int64, "reason": pl.Utf8}))


def pages_per_batch() -> int:
    import os

    raw = os.environ.get(ENV_PAGE_BATCH)
    try:
        return max(1, int(raw)) if raw else PAGES_PER_BATCH
    except ValueError:
        raise ValueError(f"{ENV_PAGE_BATCH}={raw!r} is not a number of pages") from None


def start_source_viewer(sources: pl.DataFrame, texts: dict[str, str], observations: pl.DataFrame,
                        unclaimed: dict[str, list[tuple[int, int, str]]], reports: Path,
                        publication: str | None) -> Callable[[], list[Path]]:
    """Begin reports/sources/: on the refresh's Dask workers, when it has some and enough pages for two
    batches (flows.parallel.map_on_workers), the batches start rendering now; the workers of a local cluster
    write their pages too (a remote worker does not share the filesystem: the flow writes what it renders).
    Returns what finishes reports/sources/<source_id>.html for every source and reports/sources/index.html:
    called last, so the workers render while the flow writes the other pages."""
    from flows import parallel

    out_dir = Path(reports) / "sources"
    per_batch = pages_per_batch()
    workers = parallel.worker_count()
    n = min(2 * workers, sources.height // per_batch) if workers > 1 else 1
    batches = page_batches(sources, texts, observations, unclaimed, max(1, n))
    running = None
    if n > 1:
        from prefect import get_run_logger

        get_run_logger().info("report: %d source pages in %d batches on the Dask workers", sources.height, n)
        if parallel.current().address is None:  # this refresh's own local workers: they write the pages too
            running = parallel.map_on_workers(write_pages, batches, publication, str(out_dir), name="source-pages")
        else:
            running = parallel.map_on_workers(render_pages, batches, publication, name="source-pages")
    counts = dict(observations.group_by("source_id").len().iter_rows()) if observations.height else {}

    def finish() -> list[Path]:
        rendered = running if running is not None else (render_pages(b, publication) for b in batches)
        written, listing = [], []
        for batch, pages in zip(batches, rendered):  # pages: None from a worker that wrote them itself
            for i, s in enumerate(batch.sources.drop("_text", "_unclaimed").iter_rows(named=True)):
                sid = s["source_id"]
                page = page_name(sid)
                written.append(out_dir / page if pages is None else write_atomic(out_dir / page, pages[i]))
                listing.append({**s, "page": page, "n_facts": counts.get(sid, 0),
                                "n_unclaimed": len(unclaimed.get(sid, [])), "readable": texts.get(sid) is not None})
        written.append(write_atomic(out_dir / "index.html", render(
            "sources_index.html.j2", root="../", here="sources/index.html", sources=listing,
            describes=f"Sources of publication {publication or '-'}.")))
        return written

    return finish


def fact_link(observation: dict) -> str:
    """Relative link from reports/ to one fact in the viewer."""
    return f"sources/{page_name(observation['source_id'])}#o-{observation['observation_id']}"
