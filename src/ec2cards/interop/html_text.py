"""Anki fields are HTML; ec2cards card text is Markdown. These two functions translate.

HTML to Markdown keeps what a flashcard needs (bold, italics, code, line breaks, lists, links) and
drops the rest (styles, spans, fonts). Images and sounds cannot live in a YAML deck: they are
removed and counted, so that the importer can say how many were skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

SOUND = re.compile(r"\[sound:[^\]]*\]")
INLINE_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
LINE_BLOCKS = {"div", "tr", "li", "dt", "dd", "center"}
PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "pre", "ul", "ol"}
SKIPPED = {"script", "style", "head", "title"}
# Markers in the parser's output: soft breaks (block edges: the widest in a row wins), hard
# breaks (<br>: they add up) and the edges of preformatted text (kept as written).
# List items are indented with _INDENT, which no cleaning step touches.
_SOFT, _HARD, _PRE_START, _PRE_END, _PARA, _INDENT = "\x01", "\x00", "\x02", "\x03", "\x04", "\x05"
_MARKERS = re.compile("[\x00-\x05]")


@dataclass(frozen=True)
class Converted:
    """Markdown text, and how many images or sounds were dropped from it."""

    text: str
    media: int = 0


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.inline: list[tuple[str, int, str]] = []  # (tag, index in out, href)
        self.lists: list[list[int]] = []  # one [next number, or -1 for bullets] per open list
        self.pre: list[str] | None = None
        self.skip = 0
        self.media = 0

    def _soft(self, count: int = 1) -> None:
        self.out.append(_PARA if count > 1 else _SOFT)

    def _close_inline(self, tag: str) -> None:
        if all(name != tag for name, _, _ in self.inline):
            return  # a closing tag that was never opened: ignore it
        while self.inline:
            name, index, href = self.inline.pop()
            segment = "".join(self.out[index:])
            del self.out[index:]
            core = segment.strip(" ")
            if not core or _MARKERS.search(core):
                self.out.append(segment)
            else:
                lead = " " if segment.startswith(" ") else ""
                trail = " " if segment.endswith(" ") else ""
                if name == "a":
                    shown = f"[{core}]({href})" if href and href != core else core
                else:
                    mark = INLINE_MARKS[name]
                    if name == "code" and "`" in core:
                        mark = "``"
                    shown = f"{mark}{core}{mark}"
                self.out.append(lead + shown + trail)
            if name == tag:
                return

    # -- parser callbacks ----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip += 1
        elif tag in ("img", "audio", "video", "object", "embed"):
            self.media += 1
        elif self.pre is not None:
            return  # inside <pre> only the text counts
        elif tag == "br":
            self.out.append(_HARD)
        elif tag in INLINE_MARKS:
            self.inline.append((tag, len(self.out), ""))
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.inline.append(("a", len(self.out), href if href.startswith("http") else ""))
        elif tag in ("ul", "ol"):
            self._soft(1 if self.lists else 2)
            self.lists.append([1 if tag == "ol" else -1])
        elif tag == "li":
            self._soft()
            depth = max(len(self.lists) - 1, 0)
            marker = "- "
            if self.lists and self.lists[-1][0] > 0:
                marker = f"{self.lists[-1][0]}. "
                self.lists[-1][0] += 1
            self.out.append(_INDENT * depth + marker)
        elif tag == "pre":
            self._soft(2)
            self.pre = []
        elif tag in PARAGRAPHS or tag == "hr":
            self._soft(2)
        elif tag in LINE_BLOCKS:
            self._soft()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE_MARKS or tag == "a" or tag in SKIPPED:
            return  # <b/> and the like hold nothing
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(self.skip - 1, 0)
        elif tag == "pre" and self.pre is not None:
            code = "".join(self.pre).strip("\n")
            self.out.append(f"{_PRE_START}```\n{code}\n```{_PRE_END}")
            self.pre = None
            self._soft(2)
        elif self.pre is not None:
            return
        elif tag in INLINE_MARKS or tag == "a":
            self._close_inline(tag)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._soft(1 if self.lists else 2)
        elif tag in PARAGRAPHS:
            self._soft(2)
        elif tag in LINE_BLOCKS:
            self._soft()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = data.replace("\xa0", " ")
        if self.pre is not None:
            self.pre.append(data)
        else:
            self.out.append(re.sub(r"\s+", " ", _MARKERS.sub("", data)))

    def result(self) -> str:
        while self.inline:
            self._close_inline(self.inline[-1][0])
        if self.pre is not None:
            self.handle_endtag("pre")
        return "".join(self.out)


def _newlines(run: re.Match[str]) -> str:
    """A run of breaks: <br>s add up, block edges count once (two for a paragraph)."""
    text = run.group()
    soft = 2 if _PARA in text else 1 if _SOFT in text else 0
    return "\n" * min(text.count(_HARD) + soft, 2)


def _clean(raw: str) -> str:
    pieces = re.split(f"({_PRE_START}.*?{_PRE_END})", raw, flags=re.DOTALL)
    cleaned = []
    for piece in pieces:
        if piece.startswith(_PRE_START):
            cleaned.append(piece[1:-1])
            continue
        piece = re.sub(" {2,}", " ", piece)
        breaks = f"{_SOFT}{_HARD}{_PARA}"
        cleaned.append(re.sub(f" *[{breaks}][{breaks} ]*", _newlines, piece))
    return "".join(cleaned).strip().replace(_INDENT, "  ")


def html_to_markdown(html: str) -> Converted:
    """An Anki field as Markdown, with the count of images and sounds removed."""
    sounds = len(SOUND.findall(html))
    parser = _ToMarkdown()
    parser.feed(SOUND.sub("", html))
    parser.close()
    return Converted(_clean(parser.result()), parser.media + sounds)


def plain_to_markdown(text: str) -> str:
    """A field of a plain-text (not HTML) export: only white space is tidied."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def markdown_to_html(text: str) -> str:
    """Card Markdown as the HTML an Anki field holds: one paragraph unwrapped, raw HTML escaped."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"breaks": True, "html": False}).render(text).strip()
    single = re.fullmatch(r"<p>(.*)</p>", rendered, re.DOTALL)
    if single and "<p>" not in single.group(1):
        rendered = single.group(1)
    # Newlines between tags are only white space in HTML, except inside <pre> blocks.
    parts = re.split(r"(<pre>.*?</pre>)", rendered, flags=re.DOTALL)
    return "".join(p if p.startswith("<pre>") else p.replace("\n", "") for p in parts)
