"""What a draft's .docx carries besides its text: the figure trace (custom properties), clean document
properties, and the ways back in (read_trace, checked_texts, is_docx). A python-docx Document in, parts out.

The trace (every figure's indicator, region, period, value, text and batches, and the values behind the
charts) is stored as JSON, zlib-compressed and base64-chunked into custom document properties
(rolgov_trace_000 …), which Word, WPS and LibreOffice keep when the file is edited and saved again.
python-docx's template leaves a 2013 creation date, "Microsoft Macintosh Word", a blank thumbnail, an
empty bibliography, Word 2010's copy of the styles and a ja-JP theme language: clean_package() replaces
or removes each, so a draft says it was made now, by whom, and what it is.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

CHECKED_STYLES = ("Doc Title", "Doc Body", "Heading 1")  # paragraphs whose numbers must be traced
APPLICATION = "法治政府建设指标看板（rolgov）"
DEFAULT_AUTHOR = "法治政府建设指标看板"
# Parts python-docx's template carries that a new document has no use for
LEFTOVER_RELS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",  # a blank preview
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",  # an empty bibliography
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",  # Word 2010's copy of the styles
)
RT_APP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
TRACE_PREFIX = "rolgov_trace_"
CHUNK = 250  # custom property strings stay under Word's 255-character limit
RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
NS_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def _app_properties(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{escape(APPLICATION)}</Application><DocSecurity>0</DocSecurity>"
        f"<ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate>"
        f"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def clean_package(doc, title: str, author: str, comments: str = "") -> None:
    """Document properties of a new document: created now, our title and author, no template leftovers."""
    package = doc.part.package
    for rels in (package.rels, doc.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype in LEFTOVER_RELS:
                rels.pop(r_id)
    app = next((rel.target_part for rel in package.rels.values() if rel.reltype == RT_APP), None)
    if app is not None:
        app._blob = _app_properties(title)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core = doc.core_properties
    core.title, core.author, core.last_modified_by = title, author, author
    core.subject, core.keywords, core.category = "经验材料", "法治政府建设；经验材料", "经验材料"
    core.comments, core.language, core.revision = comments, "zh-CN", 1
    core.created = core.modified = now
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:attachedTemplate"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    for lang in settings.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")


def add_trace(doc, trace: dict) -> None:
    """Store the trace in the document's custom properties."""
    part = Part(PackURI("/docProps/custom.xml"), CT_CUSTOM, _custom_properties(trace), doc.part.package)
    doc.part.package.relate_to(part, RT_CUSTOM)


def _custom_properties(trace: dict) -> bytes:
    packed = base64.b64encode(zlib.compress(json.dumps(trace, ensure_ascii=False).encode("utf-8"), 9)).decode()
    chunks = [packed[i : i + CHUNK] for i in range(0, len(packed), CHUNK)] or [""]
    props = [f'<property fmtid="{FMTID}" pid="2" name="{TRACE_PREFIX}parts"><vt:i4>{len(chunks)}</vt:i4></property>']
    props += [
        f'<property fmtid="{FMTID}" pid="{k + 3}" name="{TRACE_PREFIX}{k:03d}"><vt:lpwstr>{escape(c)}</vt:lpwstr>'
        f"</property>"
        for k, c in enumerate(chunks)
    ]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{NS_CP}" '
        f'xmlns:vt="{NS_VT}">{"".join(props)}</Properties>'
    ).encode()


def read_trace(path: Path | str | io.BytesIO) -> dict | None:
    """The trace stored in a .docx written by to_docx, or None if it has none."""
    doc = Document(path)
    blob = next((rel.target_part.blob for rel in doc.part.package.rels.values() if rel.reltype == RT_CUSTOM), None)
    if blob is None:
        return None
    root = etree.fromstring(blob)
    chunks = {}
    for prop in root.findall(f"{{{NS_CP}}}property"):
        name = prop.get("name", "")
        if name.startswith(TRACE_PREFIX) and name[len(TRACE_PREFIX) :].isdigit():
            chunks[int(name[len(TRACE_PREFIX) :])] = "".join(prop.itertext())
    if not chunks:
        return None
    packed = "".join(chunks[k] for k in sorted(chunks))
    return json.loads(zlib.decompress(base64.b64decode(packed)).decode("utf-8"))


def checked_texts(path: Path | str | io.BytesIO) -> list[str]:
    """Texts of the paragraphs whose numbers must all be traced (title, headings, body)."""
    return [p.text for p in Document(path).paragraphs if p.style is not None and p.style.name in CHECKED_STYLES]


def is_docx(path: Path | str) -> bool:
    """A Word .docx (a zip holding word/document.xml), not a .doc, .md or .pdf renamed or not."""
    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
