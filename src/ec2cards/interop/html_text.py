"""Anki fields are HTML; ec2cards card text is Markdown. These functions translate.

HTML to Markdown has one aim: what Anki showed as visible text is what Rich's Markdown shows in
the terminal. So every character Markdown would read as syntax is escaped (`<thread>` would
otherwise vanish as inline HTML, `2*3*4` turn italic, `# x` become a heading), a `<br>` is a
hard line break and a `<div>` one line (as Anki lays them out), `<pre>` keeps its lines and
indentation, leading `&nbsp;` stays, tables stay tables and MathJax stays its TeX source. The
HTML is parsed by markdownify (on BeautifulSoup), a well-kept converter, with Anki's habits
handled around it. Images and sounds become visible placeholders, `[image: name]` and
`[sound: name]`, and their file names are returned so that the importer can copy the files.
"""

from __future__ import annotations

import functools
import html as htmllib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import unquote

MATH = re.compile(
    r"\\\(.*?\\\)|\\\[.*?\\\]|\[\$\$?\].*?\[/\$\$?\]|\[latex\].*?\[/latex\]", re.DOTALL
)
SOUND = re.compile(r"\[sound:([^\]]*)\]")
TAG = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"[<&]|\[sound:|\\[(\[]|\[\$|\[latex\]")  # what needs the full conversion
_KEEP = re.compile("\ue000(\\d+)\ue001")  # a placeholder for text kept out of the parser
_ASCII_PUNCT = re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_BACKSLASH = re.compile(r"\\(?=[" + _ASCII_PUNCT + r"]|\s|$)")  # a break or a mark may follow
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_LINK_OPEN = re.compile(r"\[(?=[^\]]*\][(\[:])")
_LONE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LINE_MARKER = re.compile(
    r"(^|\n)([ \t\xa0]*)(>|(?:#{1,6}|[+-]|-+|=+|\d{1,9}(?=[.)]))(?=[.)]?(?:\s|$)))"
)
_BOUNDARY, _EMPTY_LINE = "\ue010", "\ue011"
# A hard break is a backslash ending a line; the even run before it is escaped backslashes.
_BREAKS = re.compile(r"(?<!\\)((?:\\\\)*)\\\n(?:\\\n)+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\\\n[ \t]*\\\n")  # a blank line, or two breaks
_BREAK_BEFORE_BLANK = re.compile(r"(?<!\\)((?:\\\\)*)\\\n(?=\s*\n)")
# Bold and italic are marked with these first and turned into `**` and `*` at the end, where
# the characters around each mark are known: CommonMark only reads `**` as emphasis when it
# "flanks" the text (`**"quoted"**text` stays literal), so a mark that would not is dropped
# (the text stays, not bold) rather than shown as stray asterisks.
_BOLD, _ITALIC, _STRUCK = "\ue020", "\ue022", "\ue024"
_MARKS = {_BOLD: ("\ue021", "**"), _ITALIC: ("\ue023", "*"), _STRUCK: ("\ue025", "~~")}
_SAME = {_BOLD: {"b", "strong"}, _ITALIC: {"i", "em"}, _STRUCK: {"del", "s", "strike"}}
_CLOSING = {close: open_ for open_, (close, _) in _MARKS.items()}
_MARK_CHARS = "".join(_MARKS) + "".join(_CLOSING)
_SENTINELS = re.compile(f"[\ue000\ue001{_BOUNDARY}{_EMPTY_LINE}{_MARK_CHARS}]")


@dataclass(frozen=True)
class Converted:
    """Markdown text, and the media files (images, sounds) it shows as placeholders."""

    text: str
    media: tuple[str, ...] = ()


def media_name(reference: str) -> str | None:
    """A media reference as a file name of Anki's media folder: one plain path component,
    NFC-normalised as Anki stores it; None for anything else (a URL, a path, data)."""
    name = unicodedata.normalize("NFC", unquote(reference.strip()))
    if not name or name in (".", "..") or ":" in name:
        return None
    if len(PurePosixPath(name).parts) != 1 or len(PureWindowsPath(name).parts) != 1:
        return None
    return name


def escape_markdown(text: str, in_table: bool = False) -> str:
    """Plain text as Markdown that renders as exactly that text."""
    if not text:
        return ""
    text = text.replace("\n", " ")  # a newline in HTML text is a space
    text = _BACKSLASH.sub(r"\\\\", text)  # a backslash that would escape what follows
    text = text.replace("`", r"\`").replace("*", r"\*")
    text = _TAG_OPEN.sub(r"\\<", text)  # '<' that would open an HTML tag or an autolink
    text = _LONE_UNDERSCORE.sub(r"\\_", text)  # an underscore inside a word is never emphasis
    text = _ENTITY_LIKE.sub(r"\\&", text)  # '&lt;' the author typed stays literal
    text = _LINK_OPEN.sub(r"\\[", text)
    text = text.replace("~~", r"\~\~")
    if in_table:
        text = text.replace("|", r"\|")
    return _LINE_MARKER.sub(_escape_marker, text)  # a text node may start a line


def _escape_marker(match: re.Match[str]) -> str:
    start, space, marker = match.groups()
    if marker[0].isdigit():  # '1.' or '1)': escape the punctuation after the number
        return f"{start}{space}{marker}\\"
    return f"{start}{space}\\{marker}"


def placeholder(kind: str, name: str) -> str:
    """How a card shows a media file: `[image: name]`, escaped as Markdown text."""
    shown = escape_markdown(name).replace("]", "\\]")
    return f"[{kind}: {shown}]"


def _inline(text: str, parent_tags: Any, mark: str) -> str:
    """Bold or italic text between marks, its outer spaces outside them (`<b> x</b>`); inside
    the same markup (`<i><i>x</i></i>`) it is marked once."""
    if "_noformat" in parent_tags or _SAME[mark] & set(parent_tags):
        return text
    core = text.strip(" ")
    if not core:
        return text
    before = " " if text.startswith(" ") else ""
    after = " " if text.endswith(" ") else ""
    return f"{before}{mark}{core}{_MARKS[mark][0]}{after}"


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _emphasis(text: str) -> str:
    """The marks as `**`/`*` where CommonMark reads them as emphasis; dropped elsewhere.
    `<b>one</b><b>two</b>` is one bold run (`**onetwo**`, not `**one****two**`)."""
    for open_, (close, _) in _MARKS.items():
        text = text.replace(close + open_, "")
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char in _MARKS:
            stack.append(index)
        elif char in _CLOSING and stack:
            pairs[stack.pop()] = index

    def near(index: int, step: int) -> str:
        index += step
        while 0 <= index < len(text) and text[index] in _MARK_CHARS:
            index += step
        return text[index] if 0 <= index < len(text) else " "

    out = list(text)
    for start, end in pairs.items():
        before, first, last, after = near(start, -1), near(start, 1), near(end, -1), near(end, 1)
        opens = not first.isspace() and (
            not _punctuation(first) or before.isspace() or _punctuation(before)
        )
        closes = not last.isspace() and (
            not _punctuation(last) or after.isspace() or _punctuation(after)
        )
        inside = text[start:end]
        one_paragraph = not _PARAGRAPH_BREAK.search(inside)
        if opens and closes and one_paragraph and "```" not in inside:
            out[start] = out[end] = _MARKS[text[start]][1]
    return "".join(c for c in out if c not in _MARK_CHARS)


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@functools.cache
def _converter_class() -> Any:
    import warnings

    from bs4 import MarkupResemblesLocatorWarning
    from markdownify import MarkdownConverter

    # A field that is only a URL or a file name is text here, not a mistake.
    warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

    class AnkiConverter(MarkdownConverter):
        """markdownify, escaping everything Markdown would otherwise eat, and media as
        placeholders in place (Rich draws `![alt](src)` out of place, before the paragraph)."""

        def escape(self, text: str, parent_tags: Any) -> str:
            return escape_markdown(text, bool({"td", "th"} & set(parent_tags)))

        def convert_b(self, el: Any, text: str, parent_tags: Any) -> str:
            return _inline(text, parent_tags, _BOLD)

        def convert_i(self, el: Any, text: str, parent_tags: Any) -> str:
            return _inline(text, parent_tags, _ITALIC)

        def convert_del(self, el: Any, text: str, parent_tags: Any) -> str:
            return _inline(text, parent_tags, _STRUCK)

        def convert_code(self, el: Any, text: str, parent_tags: Any) -> str:
            # A newline inside inline code shows as a space in a browser, and in a Markdown
            # code span a line that starts with '<' may open an HTML block instead.
            if "_noformat" in parent_tags:  # inside <pre>: the block keeps its lines
                return text
            text = re.sub(r"[ \t]*\n\s*", " ", text)
            code = text.strip()
            if not code:
                return ""
            lead = " " if text[:1].isspace() else ""
            trail = " " if text[-1:].isspace() else ""
            return f"{lead}{_code_span(code)}{trail}"

        def convert_sub(self, el: Any, text: str, parent_tags: Any) -> str:
            return text  # a terminal has no smaller letters; markdownify's would eat breaks

        convert_strong = convert_b
        convert_em = convert_i
        convert_s = convert_strike = convert_del
        convert_sup = convert_sub

        media: list[str]  # the files named so far, set for each conversion

        def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
            source = str(el.attrs.get("src") or "")
            name = media_name(source)
            if name is not None:
                self.media.append(name)
                return placeholder("image", name)
            alt = str(el.attrs.get("alt") or "")
            shown = source if source.startswith(("http://", "https://")) else alt
            return placeholder("image", shown) if shown else "[image]"

        def convert_video(self, el: Any, text: str, parent_tags: Any) -> str:
            source = el.attrs.get("src") or ""
            if not source:
                found = el.find("source", attrs={"src": True})
                source = found.attrs.get("src") if found is not None else ""
            name = media_name(str(source))
            if name is not None:
                self.media.append(name)
            return placeholder("video", name or str(source)) if source else text

    return AnkiConverter


def _converter(media: list[str]) -> Any:
    converter = _converter_class()(
        newline_style="backslash",  # '\' then a newline: a hard break no editor trims
        heading_style="atx",
        bullets="-",
        table_infer_header=True,  # Anki tables rarely have <th>: the first row heads it
        escape_asterisks=False,  # escape() escapes what matters, and only that
        escape_underscores=False,
        escape_misc=False,
        strip_pre="strip",
        strip_document=None,  # str.strip() would take a leading &nbsp; too: _tidy trims
        wrap=False,
    )
    converter.media = media
    return converter


def _divs_to_lines(soup: Any) -> str:
    """In Anki a <div> is one line (no margins) and an empty <div><br></div> a blank line.
    Returns HTML with each div's content between <br>s: runs of boundaries (and a <br> just
    before them) make one break, and none at the very start or end."""
    for div in soup.find_all(["div", "center"]):
        kids = [k for k in div.contents if not (isinstance(k, str) and not k.strip())]
        if not kids:  # an empty div has no height: only a line boundary
            div.replace_with(_BOUNDARY)
            continue
        if all(getattr(k, "name", None) == "br" for k in kids):
            div.replace_with(_BOUNDARY + _EMPTY_LINE + _BOUNDARY)
            continue
        if getattr(kids[-1], "name", None) == "br":
            kids[-1].decompose()  # a <br> closing a block adds no line
        div.insert_before(_BOUNDARY)
        div.insert_after(_BOUNDARY)
        div.unwrap()
    text = str(soup)
    text = re.sub(f"(?:<br/?>[ \\t\\r\\n]*)?(?:{_BOUNDARY}[ \\t\\r\\n]*)+", _BOUNDARY, text)
    text = text.strip(_BOUNDARY + " \n")
    return text.replace(_BOUNDARY, "<br>").replace(_EMPTY_LINE, "")


def _code_blocks(soup: Any) -> None:
    """Code over several lines is a block: a Markdown code span cannot hold a line break."""
    for code in soup.find_all("code"):
        if code.find_parent("pre") is None and code.find("br") is not None:
            code.name = "pre"


def _pre_as_text(soup: Any) -> None:
    """Inside <pre>, Anki shows a <br> as a newline and &nbsp; as a space: make them text."""
    for pre in soup.find_all("pre"):
        for br in pre.find_all("br"):
            br.replace_with("\n")
        for node in pre.find_all(string=True):
            if "\xa0" in node:
                node.replace_with(node.replace("\xa0", " "))


def _tidy(markdown: str) -> str:
    """Trailing spaces off, indentation made of non-breaking spaces as entities (a
    paragraph's leading U+00A0 would be stripped), several breaks in a row as one blank line."""
    lines: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            line = line.rstrip(" ")
            body = line.lstrip(" \xa0")
            indent = line[: len(line) - len(body)].lstrip(" ")  # from the first &nbsp; on
            if indent:  # each shows as a space, as in the browser: "&nbsp; &nbsp; x" is 4
                line = "&nbsp;" * len(indent) + body
            elif body == "\\":  # spaces, then a break: only the break
                line = body
        lines.append(line)
    text = "\n".join(lines)
    text = _BREAKS.sub(r"\1\n\n", text)  # several breaks in a row: one blank line
    text = _BREAK_BEFORE_BLANK.sub(r"\1\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    while (len(text) - len(text.rstrip("\\"))) % 2:  # a break at the very end shows nothing
        text = text[:-1].rstrip(" \n")
    return text


def _math_source(html_text: str) -> str:
    """MathJax as the TeX it typesets: tags out, entities decoded (what MathJax reads)."""
    return htmllib.unescape(TAG.sub("", re.sub(r"<br\s*/?>", " ", html_text, flags=re.I)))


def html_to_markdown(html: str) -> Converted:
    """An Anki field as Markdown that shows what Anki showed, and the media it names."""
    from bs4 import BeautifulSoup

    kept: list[str] = []
    media: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return f"\ue000{len(kept) - 1}\ue001"

    def sound(match: re.Match[str]) -> str:
        reference = htmllib.unescape(match.group(1))
        name = media_name(reference)
        if name is not None:
            media.append(name)
        return keep(placeholder("sound", name or reference))

    if not _MARKUP.search(html):  # plain text (most fields): no parser needed
        return Converted(_tidy(escape_markdown(re.sub(r"[ \t\r\n]+", " ", html).strip(" "))))
    converter = _converter(media)
    html = _SENTINELS.sub("", html)  # private-use characters this module marks text with
    # MathJax and [sound:] are plain text to an HTML parser: keep them out of its way.
    text = MATH.sub(lambda m: keep(_code_span(_math_source(m.group()))), html)
    text = SOUND.sub(sound, text)
    soup = BeautifulSoup(text, "html.parser")
    if soup.find(["div", "center"]) is not None:
        soup = BeautifulSoup(_divs_to_lines(soup), "html.parser")
    _code_blocks(soup)
    _pre_as_text(soup)
    markdown = _emphasis(converter.convert_soup(soup))
    markdown = _KEEP.sub(lambda m: kept[int(m.group(1))], markdown)
    return Converted(_tidy(markdown), tuple(dict.fromkeys(media)))


def html_to_plain(html: str) -> str:
    """An Anki field as plain text (for keys and accepted answers): tags out, a line per
    <br>, <div> or <p>, entities decoded."""
    # An opening <div> or <p> starts a line too, unless one starts there already: Anki's editor
    # saves a second line typed under the first as "first<div>second</div>".
    text = re.sub(r"<(?:div|p)\b[^>]*>", "\x00", html.replace("\x00", ""), flags=re.I)
    text = re.sub(r"<br\s*/?>|</div>|</p>", "\n", text, flags=re.I)
    text = htmllib.unescape(TAG.sub("", text)).replace("\xa0", " ")
    text = re.sub(r"(^|\n)[ \t\x00]*\x00", r"\1", text).replace("\x00", "\n")
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


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
