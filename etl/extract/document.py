"""A report file as people get it (.html/.htm saved page, .txt pasted text, .docx, text .pdf) in; its text out.

Out: a Document with the title, the paragraphs in reading order and a token stream for the table
parser (each table cell one token, blank cells kept as "" where the layout shows them). Traditional
characters (mirror sites) are turned into simplified ones and the pinyin some mirrors insert after
characters (發(fā)布) is removed, so the rest of the pipeline reads one script. Anything that gives no
text (an image-only PDF, an empty or binary file) raises ExtractError with a bilingual message.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from etl.read import decode_text

SUFFIXES = (".html", ".htm", ".txt", ".docx", ".pdf")
ROW = "\n"  # row boundary inside an HTML or Word table's token stream
# pinyin a mirror site writes after a character: 發(fā)布, 據(jù)
_PINYIN = re.compile(r"\(([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
# characters that only traditional text uses often; two of them and we convert
_TRADITIONAL = set("發據國從與體會個們這們開關於務過還對時現經當說應點機區縣報讓請為電習處負權項們總統設環變議")
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "title", "section", "article", "table"}


class ExtractError(ValueError):
    """The file gives no usable text or no report: the message says why and what to do, in both languages."""


@dataclass
class Document:
    name: str
    sha256: str
    kind: str  # html | text | docx | pdf
    title: str
    paragraphs: list[str]
    tokens: list[str] = field(default_factory=list)  # table cells in reading order (text: every cell-like piece)
    html_tables: bool = False  # tokens come from real table markup (blank cells and ROW marks are reliable)
    converted: bool = False  # traditional characters were converted

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def simplified(text: str) -> tuple[str, bool]:
    """Remove mirror-site pinyin; convert traditional characters when the text uses them."""
    text = _PINYIN.sub("", text)
    if sum(1 for ch in text[:4000] if ch in _TRADITIONAL) < 3:
        return text, False
    import zhconv  # pure Python, dictionary bundled: no download at run time

    return zhconv.convert(text, "zh-cn"), True


def _cell(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", text)


def _html(data: bytes, name: str) -> tuple[str, list[str], list[str]]:
    import lxml.html

    text, _, _ = decode_text(data)
    if text is None:
        meta = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:2000])
        try:
            text = data.decode(meta.group(1).decode() if meta else "utf-8")
        except (LookupError, UnicodeDecodeError):
            raise ExtractError(
                f"{name}：无法识别网页的文字编码 / cannot tell the text encoding of the page; "
                "请在浏览器中另存为「网页，仅 HTML」并选 UTF-8 / save the page again as HTML in UTF-8"
            ) from None
    root = lxml.html.fromstring(text or "<html></html>")
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    title = _cell(root.findtext(".//title") or "")
    tokens: list[str] = []
    for number, table in enumerate(root.xpath("//table[not(ancestor::table)]")):
        for tr in table.xpath(".//tr"):
            tokens.extend(_cell(td.text_content()) for td in tr.xpath("./td|./th"))
            tokens.append(ROW)
        marker = lxml.html.Element("p")
        marker.text = f"⟦表{number + 1}⟧"
        marker.tail = table.tail
        table.getparent().replace(table, marker)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    body = root.find("body")
    lines = (body if body is not None else root).text_content().splitlines()
    return title, lines, tokens


def _docx(data: bytes, name: str) -> tuple[str, list[str], list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several types for damaged files
        raise ExtractError(f"{name}：无法打开 Word 文件 / cannot open the Word file ({type(exc).__name__})") from None
    lines: list[str] = []
    tokens: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            seen = set()
            for row in docx.table.Table(child, document).rows:
                for cell in row.cells:  # merged cells repeat: keep each once, like HTML colspan
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        tokens.append(_cell(cell.text))
                tokens.append(ROW)
            lines.append("⟦表⟧")
    title = next((line.strip() for line in lines if line.strip()), "")
    return title, lines, tokens


def _pdf(data: bytes, name: str) -> tuple[str, list[str], list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ExtractError(f"{name}：无法读取 PDF / cannot read the PDF ({exc})") from None
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ExtractError(
            f"{name}：这个 PDF 只有图片，没有可提取的文字（{len(pages)} 页）/ this PDF holds only images, "
            f"no text to extract ({len(pages)} page(s)). 请找到报告的网页版或 Word 版，或从网页复制文字粘贴进来 / "
            "use the report's web page or Word file, or paste its text"
        )
    lines = _unwrap([line.strip() for line in text.splitlines()])
    title = next((line for line in lines if line), "")
    return title, lines, []


_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])")


def _unwrap(lines: list[str]) -> list[str]:
    """PDF text breaks lines at the page margin: join a line to the next unless a sentence or a heading ends it."""
    full = sorted(len(line) for line in lines if line)[int(0.9 * len([x for x in lines if x])) - 1 :][:1] or [0]
    out: list[str] = []
    previous = ""
    for line in lines:
        wrapped = len(previous) >= 0.8 * full[0]  # a line that reached the margin goes on in the next one
        previous = line
        if (
            out
            and out[-1]
            and line
            and wrapped
            and not re.search(r"[。；！？：:!?]$", out[-1])
            and not _HEADING.match(line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def _text_tokens(lines: list[str]) -> list[str]:
    """Cells from pasted text: a cell ends at a line end, '|' or a tab; a blank between two separators is kept."""
    tokens: list[str] = []
    for line in lines:
        parts = re.split(r"[|｜\t]", line)
        if len(parts) == 1:
            if line.strip():
                tokens.append(_cell(line))
            continue
        cells = [_cell(p) for p in parts]
        stripped = line.strip()
        # '| a | b |' has an empty piece outside each outer bar, 'a |' one after its bar; a tab-separated
        # line's trailing empty piece is a blank cell. Empty pieces between two separators are blank cells.
        if stripped.startswith(("|", "｜")) and cells and cells[0] == "":
            cells.pop(0)
        if stripped.endswith(("|", "｜")) and cells and cells[-1] == "":
            cells.pop()
        tokens.extend(cells)
    return tokens


def read_document(path: Path | str, display_name: str | None = None, data: bytes | None = None) -> Document:
    """Read one report file; raise ExtractError when it holds no text."""
    path = Path(path)
    name = display_name or path.name
    data = path.read_bytes() if data is None else data
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise ExtractError(f"{name}：文件为空 / the file is empty")
    if data.startswith(b"%PDF"):
        kind, (title, lines, tokens) = "pdf", _pdf(data, name)
    elif data.startswith(b"PK\x03\x04"):
        if suffix not in (".docx", "") or "word/document.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist():
            raise ExtractError(
                f"{name}：这是压缩包或 Excel 文件，不是报告 / this is an archive or a workbook, not a report; "
                "数据表请用「导入数据」/ load workbooks under 'Load data'"
            )
        kind, (title, lines, tokens) = "docx", _docx(data, name)
    elif suffix in (".html", ".htm") or re.search(rb"<(html|body|table|p)[\s>]", data[:4000], re.IGNORECASE):
        kind, (title, lines, tokens) = "html", _html(data, name)
    else:
        text, _, _ = decode_text(data)
        if text is None:
            raise ExtractError(
                f"{name}：无法识别文字编码，或不是文本文件 / not a text file, or an unknown encoding; "
                "支持 .html .htm .txt .docx 和带文字的 .pdf / accepted: .html .htm .txt .docx and text .pdf"
            )
        lines = text.lstrip("\ufeff").splitlines()
        title = next((line.strip() for line in lines if line.strip()), "")
        kind, tokens = "text", []
    lines = [line.strip(" \u3000\xa0\r\n") for line in lines]  # tabs stay: they separate table cells
    joined, converted = simplified("\n".join([title, *lines]))
    title, *lines = joined.split("\n")
    if tokens:
        tokens, _ = simplified("\x00".join(tokens)) if converted else ("\x00".join(tokens), False)
        tokens = tokens.split("\x00")
    else:
        tokens = _text_tokens(lines)
    paragraphs = [line.strip() for line in lines if line.strip()]
    if not paragraphs:
        raise ExtractError(f"{name}：文件中没有文字 / the file holds no text")
    return Document(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        title=title.strip(),
        paragraphs=paragraphs,
        tokens=tokens,
        html_tables=kind in ("html", "docx") and ROW in tokens,
        converted=converted,
    )
