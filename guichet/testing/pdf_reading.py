"""Reading a PDF as a person or a scanner would: its text (pypdf) and the QR codes seen on its rendered pages
(pdfium renders, zxing-cpp decodes), so that tests check what is printed, not how it was generated."""

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader

RENDER_SCALE = 3  # about 216 dpi: what an office scanner gives


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_qr_codes(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        found: list[str] = []
        for index in range(len(document)):
            image = document[index].render(scale=RENDER_SCALE).to_pil()
            found.extend(
                result.text
                for result in zxingcpp.read_barcodes(image)
                if result.format == zxingcpp.BarcodeFormat.QRCode
            )
        return found
    finally:
        document.close()
