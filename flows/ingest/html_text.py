"""HTML -> text with an offset map back into the file.

Extractors read the flattened text; every character of it remembers the file offset it came from,
so each fact's span maps back to the file and its quote is the file's own text. Tables become one
line per row, cells joined as ``| a | b |`` so the pipe-table extractor reads HTML tables too.
Built on the standard library's ``html.parser`` because it reports where each token starts; the
usual HTML-to-text libraries do not keep offsets.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "br", "hr",
    "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "title", "caption",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


class _Flattener(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.src = source
        self.line_starts = [0]
        for m in re.finditer("\n", source):
            self.line_starts.append(m.end())
        self.out: list[str] = []
        self.offsets: list[int] = []
        self.skip_depth = 0
        self.in_title = False
        self.title: str | None = None
        self.cell_open = False

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, s: str, at: int, step: bool = False) -> None:
        for i, ch in enumerate(s):
            self.out.append(ch)
            self.offsets.append(at + i if step else at)

    def _newline(self, at: int) -> None:
        if self.out and self.out[-1] != "\n":
            self._emit("\n", at)

    def handle_starttag(self, tag, attrs):
        at = self._pos()
        if tag in _SKIP:
            if tag != "head":
                self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
        if tag == "li":
            self._newline(at)
            self._emit("- ", at)
        elif tag == "tr":
            self._newline(at)
            self.cell_open = False
        elif tag in ("td", "th"):
            self._emit("| ", at)
            self.cell_open = True
        elif tag in _BLOCK:
            self._newline(at)

    def handle_endtag(self, tag):
        at = self._pos()
        if tag in _SKIP:
            if tag != "head":
                self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag in ("td", "th"):
            self._emit(" ", at)
        elif tag == "tr":
            self._emit("|", at)
            self._newline(at)
        elif tag in _BLOCK:
            self._newline(at)

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self._newline(self._pos())

    def handle_data(self, data):
        if self.skip_depth:
            return
        at = self._pos()
        text = re.sub(r"\s+", " ", data)
        if self.in_title:
            self.title = (self.title or "") + re.sub(r"\s+", " ", data)
        if not text.strip():
            if self.out and self.out[-1] not in " \n":
                self._emit(" ", at)
            return
        # keep 1:1 offsets where whitespace was not collapsed
        if text == data:
            self._emit(data, at, step=True)
        else:
            i = 0
            for m in re.finditer(r"\s+|\S+", data):
                chunk = m.group(0)
                if chunk[0].isspace():
                    if self.out and self.out[-1] not in " \n":
                        self._emit(" ", at + m.start())
                else:
                    self._emit(chunk, at + m.start(), step=True)
                i = m.end()

    def _ref(self, raw: str) -> None:
        if self.skip_depth:
            return
        at = self._pos()
        if self.in_title:
            self.title = (self.title or "") + unescape(raw)
        self._emit(unescape(raw), at)

    def handle_entityref(self, name):
        self._ref(f"&{name};")

    def handle_charref(self, name):
        self._ref(f"&#{name};")


def html_to_text(source: str) -> tuple[str, list[int], str | None]:
    """Flatten HTML. Returns (text, offsets, title): ``offsets[i]`` is the file offset of ``text[i]``;
    ``offsets`` has one extra entry (the file length) so an end index maps too."""
    p = _Flattener(source)
    p.feed(source)
    p.close()
    text = "".join(p.out)
    offsets = p.offsets + [len(source)]
    return text, offsets, (p.title.strip() or None) if p.title else None


def map_span(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the flattened text to the file. The end maps to just past the
    last character of the span, so the file quote covers every source character of the span."""
    if offsets is None:
        return start, end
    if end <= start:
        return offsets[start], offsets[start]
    return offsets[start], offsets[end - 1] + 1
