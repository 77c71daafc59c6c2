"""Reading back what a PDF says, without poppler: text through each font's ToUnicode map, images as PIL.

Enough for our own récépissés (WeasyPrint writes a ToUnicode CMap for every font it embeds).
"""

import io
import re
from typing import Any

import pikepdf
from PIL import Image

_HEX = r"<([0-9A-Fa-f]+)>"


def _unicode_map(font: Any) -> tuple[dict[bytes, str], int]:
    mapping: dict[bytes, str] = {}
    code_length = 1
    if "/ToUnicode" not in font:
        return mapping, code_length
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    space = re.search(r"begincodespacerange\s*" + _HEX, cmap)
    if space:
        code_length = len(space.group(1)) // 2
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for source, target in re.findall(_HEX + r"\s*" + _HEX, block):
            mapping[bytes.fromhex(source)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, target in re.findall(_HEX + r"\s*" + _HEX + r"\s*" + _HEX, block):
            first, last, base = int(start, 16), int(end, 16), int(target, 16)
            for offset in range(last - first + 1):
                code = (first + offset).to_bytes(len(start) // 2, "big")
                mapping[code] = chr(base + offset)
    return mapping, code_length


def _decode(raw: bytes, font: tuple[dict[bytes, str], int] | None) -> str:
    if font is None:
        return raw.decode("latin-1")
    mapping, length = font
    return "".join(mapping.get(raw[i : i + length], "") for i in range(0, len(raw), length))


def _fonts_of(resources: Any) -> dict[str, tuple[dict[bytes, str], int]]:
    fonts: Any = resources.get("/Font", {}) if resources is not None else {}
    return {str(name): _unicode_map(font) for name, font in fonts.items()}


def _content_text(stream_owner: Any, resources: Any, out: list[str]) -> None:
    fonts = _fonts_of(resources)
    current = None
    instructions: Any = pikepdf.parse_content_stream(stream_owner)
    for operands, operator in instructions:
        op = str(operator)
        if op == "Tf":
            current = fonts.get(str(operands[0]))
        elif op == "Tj":
            out.append(_decode(bytes(operands[0]), current))
        elif op == "TJ":
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    out.append(_decode(bytes(item), current))
                elif float(item) < -200:
                    out.append(" ")
        elif op in ("Td", "TD", "T*", "Tm", "ET"):
            out.append("\n")
        elif op == "Do" and resources is not None:
            xobjects: Any = resources.get("/XObject", {})
            xobject = xobjects.get(str(operands[0]))
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                _content_text(xobject, xobject.get("/Resources", resources), out)


def pdf_text(data: bytes) -> str:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out: list[str] = []
        for page in pdf.pages:
            _content_text(page, page.obj.get("/Resources"), out)
    text = "".join(out)
    return re.sub(r"[ \t]+", " ", text)


def pdf_images(data: bytes) -> list[Image.Image]:
    images = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for _name, raw in page.images.items():
                stream: Any = raw
                images.append(pikepdf.PdfImage(stream).as_pil_image())
    return images


def pdf_is_tagged(data: bytes) -> bool:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        mark_info = pdf.Root.get("/MarkInfo")
        return "/StructTreeRoot" in pdf.Root and mark_info is not None and bool(mark_info.get("/Marked"))
