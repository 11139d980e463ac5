"""Image-only PDFs written by hand, so each page's scan keeps exactly the encoding we choose.

reportlab re-encodes images its own way; a scanner's PDF carries the scan as one image XObject
per page with a single filter (DCT, Flate, CCITT G4, JBIG2, JPX). This writer lays out the
objects, the cross-reference table and a fixed /ID, so the bytes are the same on every run.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field

from PIL import Image, ImageOps


@dataclass
class ScanImage:
    """One page image, already encoded: the stream bytes and the dictionary entries they need."""

    data: bytes
    width: int
    height: int
    filter: str  # e.g. "/DCTDecode"
    bits: int | None = 8  # None for JPX (the codestream says)
    colorspace: str | None = "/DeviceGray"
    decode_parms: str | None = None


@dataclass
class ScanPage:
    image: ScanImage
    width_pt: float
    height_pt: float
    rotate: int = 0


def _obj(num: int, body: bytes) -> bytes:
    return b"%d 0 obj\n" % num + body + b"\nendobj\n"


def _stream(dict_entries: str, data: bytes) -> bytes:
    return ("<< %s /Length %d >>\nstream\n" % (dict_entries, len(data))).encode() + data + b"\nendstream"


def write_pdf(pages: list[ScanPage], producer: str = "Scan Station 4.2") -> bytes:
    """A PDF 1.5 with one image XObject per page, filling the page."""
    # Object numbers: 1 catalog, 2 pages, 3 info, then per page: page, content, image.
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    page_nums = [4 + 3 * i for i in range(len(pages))]

    def put(num: int, body: bytes) -> None:
        offsets[num] = out.tell()
        out.write(_obj(num, body))

    put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join("%d 0 R" % n for n in page_nums)
    put(2, ("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))).encode())
    put(3, ("<< /Producer (%s) /Creator (%s) >>" % (producer, producer)).encode())
    for page, num in zip(pages, page_nums):
        img = page.image
        # A /Rotate 90 page stores the scan sideways: the media box is the stored shape.
        w, h = page.width_pt, page.height_pt
        if page.rotate in (90, 270):
            w, h = h, w
        rot = " /Rotate %d" % page.rotate if page.rotate else ""
        put(
            num,
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f]%s "
                "/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (w, h, rot, num + 2, num + 1)
            ).encode(),
        )
        content = ("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w, h)).encode()
        put(num + 1, _stream("", content))
        entries = "/Type /XObject /Subtype /Image /Width %d /Height %d" % (img.width, img.height)
        if img.colorspace:
            entries += " /ColorSpace " + img.colorspace
        if img.bits:
            entries += " /BitsPerComponent %d" % img.bits
        entries += " /Filter " + img.filter
        if img.decode_parms:
            entries += " /DecodeParms " + img.decode_parms
        put(num + 2, _stream(entries, img.data))
    xref_at = out.tell()
    count = max(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
    for n in range(1, count):
        out.write(b"%010d 00000 n \n" % offsets[n])
    fixed_id = "%032x" % (zlib.crc32(out.getvalue()) * 0x1000193)
    fixed_id = fixed_id[-32:]
    out.write(
        (
            "trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (count, fixed_id, fixed_id, xref_at)
        ).encode()
    )
    return out.getvalue()


# --- encoders -------------------------------------------------------------------------------


def dct(img: Image.Image, quality: int = 75) -> ScanImage:
    """A JPEG (baseline) of a gray or RGB image: the stream bytes are the JPEG file."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True, dpi=img.info.get("dpi", (200, 200)))
    cs = "/DeviceRGB" if img.mode == "RGB" else "/DeviceGray"
    return ScanImage(buf.getvalue(), img.width, img.height, "/DCTDecode", 8, cs)


def flate_gray(img: Image.Image) -> ScanImage:
    assert img.mode == "L"
    return ScanImage(zlib.compress(img.tobytes(), 9), img.width, img.height, "/FlateDecode", 8)


def flate_bilevel(img: Image.Image) -> ScanImage:
    """1 bit per pixel, rows padded to a byte; in DeviceGray a 1 bit is white, as in Pillow's '1'."""
    assert img.mode == "1"
    return ScanImage(zlib.compress(img.tobytes(), 9), img.width, img.height, "/FlateDecode", 1)


def g4_bytes(img: Image.Image) -> bytes:
    """The raw T.6 (CCITT Group 4) code of a bilevel image, taken from a one-strip TIFF."""
    assert img.mode == "1"
    # libtiff codes 1 bits as the "black" runs; Pillow's '1' has ink = 0, so flip it first, or
    # the code would say the paper is black (CCITT and JBIG2 MMR both call the 1-runs black).
    ink_is_one = ImageOps.invert(img.convert("L")).convert("1")
    buf = io.BytesIO()
    ink_is_one.save(buf, "TIFF", compression="group4", tiffinfo={278: img.height})
    tif = Image.open(io.BytesIO(buf.getvalue()))
    offsets = tif.tag_v2[273]
    counts = tif.tag_v2[279]
    assert len(offsets) == 1, "G4 TIFF must be a single strip"
    raw = buf.getvalue()[offsets[0] : offsets[0] + counts[0]]
    return raw


def ccitt_g4(img: Image.Image) -> ScanImage:
    parms = "<< /K -1 /Columns %d /Rows %d /BlackIs1 false >>" % (img.width, img.height)
    return ScanImage(g4_bytes(img), img.width, img.height, "/CCITTFaxDecode", 1, "/DeviceGray", parms)


def jbig2_embedded(img: Image.Image) -> bytes:
    """A JBIG2 embedded stream (T.88 annex D.3, no file header) for a bilevel page:
    page information and one immediate lossless generic region coded with MMR (= T.6).
    The MMR data is the same T.6 code a CCITT G4 stream carries, so no JBIG2 encoder is needed."""
    mmr = g4_bytes(img)
    w, h = img.width, img.height

    def segment(number: int, seg_type: int, data: bytes) -> bytes:
        # Header (7.2): number, flags (type; 1-byte page association), referred-to count 0,
        # page association 1, data length.
        return struct.pack(">IBBBI", number, seg_type & 0x3F, 0, 1, len(data)) + data

    dpm = round(img.info.get("dpi", (200, 200))[0] / 0.0254)
    # Page information (7.4.8): width, height, x/y resolution (pixels per metre), flags
    # (bit 0: eventually lossless; default pixel 0 = white; combination OR), striping none.
    page_info = struct.pack(">IIIIBH", w, h, dpm, dpm, 0x01, 0)
    # Region segment information (7.4.1): width, height, x, y, flags (combination OR),
    # then generic region flags (7.4.6.2): MMR = 1, template 0, no TPGDON.
    region = struct.pack(">IIIIB", w, h, 0, 0, 0) + bytes([0x01]) + mmr
    # ISO 32000-1 7.4.7: an embedded stream carries no file header, end-of-page or end-of-file
    # segment, so the stream ends with the region.
    return segment(0, 48, page_info) + segment(1, 39, region)


def jbig2(img: Image.Image) -> ScanImage:
    return ScanImage(jbig2_embedded(img), img.width, img.height, "/JBIG2Decode", 1, "/DeviceGray")


def jpx(img: Image.Image, rate: float = 40) -> ScanImage:
    """A JPEG 2000 (JP2) file; its colour space and depth come from the codestream."""
    buf = io.BytesIO()
    img.save(buf, "JPEG2000", irreversible=True, quality_mode="rates", quality_layers=[rate])
    return ScanImage(buf.getvalue(), img.width, img.height, "/JPXDecode", None, None)


def tiff_g4(pages: list[Image.Image], dpi: int) -> bytes:
    """A multi-page TIFF, each page one CCITT G4 strip, PhotometricInterpretation min-is-white
    (as fax software writes them). Written by hand: Pillow's own G4 writer codes the paper as the
    black runs under min-is-black, which is valid but unlike real fax TIFFs."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    ifd_offsets: list[int] = []
    strips = []
    for img in pages:
        data = g4_bytes(img)
        strips.append(len(out))
        out += data
        if len(out) % 2:
            out += b"\x00"
    for i, (img, strip_at) in enumerate(zip(pages, strips)):
        res_at = len(out)
        out += struct.pack("<IIII", dpi, 1, dpi, 1)
        ifd_at = len(out)
        ifd_offsets.append(ifd_at)
        entries = [
            (254, 4, 1, 2 if len(pages) > 1 else 0),  # NewSubfileType: page of a multi-page file
            (256, 4, 1, img.width), (257, 4, 1, img.height), (258, 3, 1, 1),
            (259, 3, 1, 4),  # Compression: CCITT T.6
            (262, 3, 1, 0),  # min-is-white
            (266, 3, 1, 1),  # FillOrder: MSB first
            (273, 4, 1, strip_at), (277, 3, 1, 1), (278, 4, 1, img.height),
            (279, 4, 1, len(g4_bytes(img))),
            (282, 5, 1, res_at), (283, 5, 1, res_at + 8), (296, 3, 1, 2),
            (297, 3, 2, i | (len(pages) << 16)),  # PageNumber: (page, total)
        ]
        out += struct.pack("<H", len(entries))
        for tag, typ, count, value in entries:
            out += struct.pack("<HHI", tag, typ, count)
            out += struct.pack("<I", value)
        out += struct.pack("<I", 0)  # next IFD, patched below
    struct.pack_into("<I", out, 4, ifd_offsets[0])
    for a, b in zip(ifd_offsets, ifd_offsets[1:]):
        n = struct.unpack_from("<H", out, a)[0]
        struct.pack_into("<I", out, a + 2 + 12 * n, b)
    return bytes(out)
