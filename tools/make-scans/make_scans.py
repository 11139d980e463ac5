#!/usr/bin/env python3
"""Office scans, faxes and copier stacks of the committed text notices, with a truth.csv.

    make_scans.py --seed N --out DIR [--count K] [--samples DIR] [--only CATEGORY]

Page 1 of each source (`samples/text/*.pdf` whose page 1 has an ok row with a receipt number in
`samples/expected.csv`) is rendered by `pdftoppm -gray -r DPI` and made to look like it went
through an office device, one of three kinds:

  grey   a flatbed / copier scan: 150-300 dpi, paper and toner levels, uneven lamp, mild blur,
         sensor noise, dust, slight skew, the page a little off the glass edge
  faint  the same, low contrast: grey toner on grey paper (a light copy or a grey fax-to-email)
  fax    1 bit: fine 200x200, standard 200x100 (non-square pixels), 150 or 100 dpi; threshold
         between paper and ink, speckle, dust clusters, dropouts, line noise, a fax header line

Any page may carry a diagonal light grey "SAMPLE" watermark (ordered-dithered on a fax), placed
across the page or through the receipt number (found with `pdftotext -bbox`).

Files, K of each category, and DIR/truth.csv with one row per expected number:

  scan   scan-NNN.pdf: one page, one picture (JPEG /DCTDecode, 8-bit /FlateDecode, 1-bit
         /FlateDecode or CCITT G4 /CCITTFaxDecode), written by the small PDF writer below
  stack  stack-NNN.pdf: 3-6 pages of different notices, each page degraded on its own, sometimes
         a blank or near-blank page (bleed-through, "intentionally left blank") between
  image  image-NNN.png / .jpg / .tif: grey PNG, JPEG q40-70, LZW or Deflate TIFF; 1-bit PNG or
         Group 4 TIFF for a fax

Deterministic: the plan (kinds, encodings) from numpy's Generator seeded [seed, 0]; file i of
category c from [seed, c, i]; sources drawn in shuffled rounds from [seed, 1].
"""
from __future__ import annotations

import argparse
import csv
import html
import io
import re
import subprocess
import sys
import tempfile
import time
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
WATERMARK_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
HEADER_FONT = FONT_DIR / "DejaVuSansMono.ttf"
CATEGORIES = ["scan", "stack", "image"]
KINDS = ["grey", "faint", "fax"]
KIND_SHARE = {"grey": 0.40, "faint": 0.25, "fax": 0.35}
FIELDS = ["file", "page", "receipt_number", "category", "source", "kind", "encoding", "dpi",
          "dpi_y", "skew_deg", "blur_px", "paper", "ink", "lamp", "noise", "threshold", "speckle",
          "dust", "line_noise", "watermark", "wm_grey", "wm_cover", "jpeg_quality", "fax_header",
          "offset_mm", "dpi_tag", "stack_pages", "blank_pages"]
PRODUCERS = ["Canon iR-ADV C5535 PDF", "RICOH MP C3004", "KONICA MINOLTA bizhub C458",
             "Xerox WorkCentre 7845", "HP Digital Sending", "Brother MFC-L8900CDW",
             "FaxServer 7.2 TIFF2PDF", "EPSON Scan"]


# ----------------------------------------------------------------------------- sources

def default_samples() -> Path:
    return HERE.parents[1] / "samples"


def load_sources(samples: Path) -> list[dict]:
    """Each text PDF whose page 1 has an ok row with a number: the first such row."""
    seen: dict[str, dict] = {}
    with (samples / "expected.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["file"]
            if not name.startswith("samples/text/") or row["page"].strip() != "1":
                continue
            if row["status"].strip() != "ok" or not row["receipt_number"].strip():
                continue
            if name in seen:
                continue
            path = samples / "text" / name[len("samples/text/"):]
            if path.exists():
                seen[name] = {"name": name, "path": path, "number": row["receipt_number"].strip()}
    return [seen[k] for k in sorted(seen)]


def number_box(path: Path, number: str) -> tuple[float, float, float, float]:
    """The number's box on page 1 as fractions of the page (x0, y0, x1, y1)."""
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"],
                         capture_output=True, text=True, check=False).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    want = re.sub(r"[^A-Z0-9]", "", number.upper())
    if page:
        pw, ph = float(page.group(1)), float(page.group(2))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', out):
            word = re.sub(r"[^A-Z0-9]", "", html.unescape(m.group(5)).upper())
            if want and want in word:
                x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
                return x0 / pw, y0 / ph, x1 / pw, y1 / ph
    return 0.07, 0.12, 0.30, 0.15  # where the I-797 layout has it


@lru_cache(maxsize=64)
def render(path: Path, dpi: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "p"
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-png",
                        "-singlefile", str(path), str(stem)], check=True)
        with Image.open(f"{stem}.png") as im:
            arr = np.asarray(im.convert("L"), dtype=np.uint8)
    arr.setflags(write=False)
    return arr


class SourceDeck:
    """Sources in shuffled rounds, so a set spreads over all notices."""

    def __init__(self, sources: list[dict], rng: np.random.Generator):
        self.sources, self.rng, self.queue = sources, rng, []

    def draw(self, avoid: set[str] = frozenset()) -> dict:
        for _ in range(3):
            if not self.queue:
                self.queue = [self.sources[i] for i in self.rng.permutation(len(self.sources))]
            for k, s in enumerate(self.queue):
                if s["name"] not in avoid:
                    return self.queue.pop(k)
            self.queue = []
        raise SystemExit("not enough distinct sources for a stack")


# ----------------------------------------------------------------------------- degradation

BAYER4 = (np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]],
                   dtype=np.float32) + 0.5) / 16.0


def watermark_layer(shape: tuple[int, int], box, rng: np.random.Generator, over: bool):
    """Anti-aliased "SAMPLE" mask (0..1) along a diagonal; over=True: through the number."""
    h, w = shape
    angle = float(rng.uniform(30, 55))
    diag = float(np.hypot(w, h))
    font = ImageFont.truetype(str(WATERMARK_FONT), 100)
    tw = font.getlength("SAMPLE")
    size = max(20, int(100 * diag * rng.uniform(0.55, 0.8) / tw))
    font = ImageFont.truetype(str(WATERMARK_FONT), size)
    l, t, r, b = font.getbbox("SAMPLE")
    text = Image.new("L", (r - l + 8, b - t + 8), 0)
    ImageDraw.Draw(text).text((4 - l, 4 - t), "SAMPLE", fill=255, font=font)
    text = text.rotate(angle, resample=Image.BICUBIC, expand=True)
    d = np.array([np.cos(np.radians(angle)), -np.sin(np.radians(angle))])  # along the text
    centre = np.array([w / 2, h / 2])
    if over:
        nc = np.array([(box[0] + box[2]) / 2 * w, (box[1] + box[3]) / 2 * h])
        # Slide along the baseline towards the page centre; a little off the number's middle so
        # that different letters land on it.
        along = float(np.dot(centre - nc, d)) + rng.uniform(-0.12, 0.12) * diag
        centre = nc + along * d
    else:
        n = np.array([-d[1], d[0]])  # across the text
        centre = centre + n * rng.uniform(-0.08, 0.08) * diag
    layer = Image.new("L", (w, h), 0)
    layer.paste(text, (int(centre[0] - text.width / 2), int(centre[1] - text.height / 2)))
    mask = np.asarray(layer, dtype=np.float32) / 255.0
    x0, y0, x1, y1 = (int(box[0] * w), int(box[1] * h), int(box[2] * w) + 1, int(box[3] * h) + 1)
    cover = float((mask[y0:y1, x0:x1] > 0.5).mean()) if x1 > x0 and y1 > y0 else 0.0
    return mask, angle, cover


def rotate(arr: np.ndarray, deg: float, fill: float) -> np.ndarray:
    if abs(deg) < 1e-3:
        return arr
    im = Image.fromarray(arr.astype(np.float32), mode="F")
    return np.array(im.rotate(deg, resample=Image.BICUBIC, fillcolor=fill), dtype=np.float32)


def fax_header(width: int, dpi: int, rng: np.random.Generator, page_no: int, pages: int) -> np.ndarray:
    """A sending fax's header line (1 = black), straight even when the page is skewed."""
    month = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    sender = rng.choice(["LAW OFFICE", "HR DEPT", "FRONT DESK", "IMMIGRATION SVCS", "ACCOUNTS"])
    phone = f"{rng.integers(201, 990)} {rng.integers(200, 999)} {rng.integers(1000, 9999)}"
    text = (f"{month[rng.integers(12)]}-{rng.integers(1, 29):02d}-20{rng.integers(18, 27)} "
            f"{rng.integers(0, 24):02d}:{rng.integers(0, 60):02d}   FROM: {sender}   "
            f"FAX {phone}   P.{page_no:03d}/{pages:03d}")
    font = ImageFont.truetype(str(HEADER_FONT), max(8, int(dpi * 8.5 / 72)))
    strip = Image.new("L", (width, int(dpi * 0.16)), 0)
    ImageDraw.Draw(strip).text((int(dpi * 0.3), int(dpi * 0.02)), text, fill=255, font=font)
    return np.asarray(strip) > 110


def degrade(src: dict, kind: str, rng: np.random.Generator, page_no: int = 1,
            pages: int = 1, device: dict | None = None) -> tuple[np.ndarray, dict]:
    """One page through one device. Returns uint8 grey (kind grey/faint) or bool white-mask."""
    p: dict = {"source": src["name"][len("samples/text/"):], "kind": kind}
    device = device or {}
    if kind == "fax":
        mode = device.get("fax_mode") or rng.choice(["fine", "standard", "low", "mid"],
                                                    p=[0.35, 0.25, 0.2, 0.2])
        dpi, dpi_y = {"fine": (200, 200), "standard": (200, 100), "low": (100, 100),
                      "mid": (150, 150)}[mode]
        p["fax_mode"] = mode
    else:
        dpi = int(device.get("dpi") or rng.choice([150, 200, 240, 300], p=[0.25, 0.3, 0.15, 0.3]))
        dpi_y = dpi
    p["dpi"], p["dpi_y"] = dpi, dpi_y
    arr = render(src["path"], dpi).astype(np.float32)
    h, w = arr.shape

    # Watermark: printed on the original, so under the skew.
    wm = rng.random()
    wm_mask = None
    if wm < 0.35:
        over = wm < 0.18
        wm_mask, _, cover = watermark_layer((h, w), number_box(src["path"], src["number"]), rng, over)
        grey = float(rng.uniform(180, 225))
        # Named by what was drawn, not by what was meant: a band aimed at the number can miss it
        # between two letters, and one across the page can touch it.
        p["watermark"] = "over-number" if cover >= 0.05 else "across"
        p["wm_grey"], p["wm_cover"] = int(grey), round(cover, 3)
        if kind != "fax":
            arr = np.minimum(arr, 255.0 - wm_mask * (255.0 - grey))
    else:
        p["watermark"] = "none"

    # Tone: toner (ink) and paper levels.
    if kind == "grey":
        paper, ink = rng.uniform(222, 252), rng.uniform(0, 45)
    elif kind == "faint":
        paper, ink = rng.uniform(190, 235), rng.uniform(95, 150)
        ink = min(ink, paper - 55)
    else:
        paper, ink = rng.uniform(215, 250), rng.uniform(10, 70)
    p["paper"], p["ink"] = int(paper), int(ink)
    arr = ink + arr / 255.0 * (paper - ink)

    # Skew on the glass (or through the fax feeder).
    skew = 0.0 if rng.random() < 0.2 else float(rng.uniform(0.3, 2.5) * rng.choice([-1, 1]))
    p["skew_deg"] = round(skew, 2)
    arr = rotate(arr, skew, paper)
    if wm_mask is not None and kind == "fax":
        wm_mask = rotate(wm_mask, skew, 0.0)

    # Page a little off the platen edge: a strip of lid and the page's edge shadow.
    offset_mm = 0.0
    if kind != "fax" and rng.random() < 0.4:
        offset_mm = float(rng.uniform(1, 5))
        px = int(offset_mm / 25.4 * dpi)
        lid = rng.uniform(225, 250)
        side = rng.integers(4)
        view = np.rot90(arr, side)  # a view: writes go to arr
        view[:, :px] = lid
        view[:, px:px + max(1, dpi // 150)] = np.minimum(view[:, px:px + max(1, dpi // 150)],
                                                         paper - rng.uniform(30, 90))
    p["offset_mm"] = round(offset_mm, 1)

    # Uneven lamp / toner: a gentle gradient across the page.
    if kind != "fax":
        lamp = float(rng.uniform(0.0, 0.08))
        g = np.linspace(0, 1, w if rng.random() < 0.5 else h, dtype=np.float32)
        g = g[None, :] if len(g) == w else g[:, None]
        if rng.random() < 0.5:
            g = 1 - g
        arr = 255.0 - (255.0 - arr) * (1 - lamp * 0.5) - lamp * 255.0 * g * 0.5
        p["lamp"] = round(lamp, 3)

    # Optics: mild blur, sized in millimetres on the page.
    sigma_mm = rng.uniform(0.02, 0.09) if kind == "fax" else rng.uniform(0.03, 0.12)
    blur = float(sigma_mm / 25.4 * dpi)
    p["blur_px"] = round(blur, 2)
    if blur > 0.15:
        arr = ndimage.gaussian_filter(arr, blur)

    # Fax standard mode: the scanner reads every other line (averaging the two).
    if dpi_y != dpi:
        arr = arr[: h - h % 2].reshape(h // 2, 2, w).mean(axis=1)
        if wm_mask is not None:
            wm_mask = wm_mask[: h - h % 2].reshape(h // 2, 2, w).mean(axis=1)

    noise = float(rng.uniform(2, 8) if kind == "grey" else rng.uniform(3, 11))
    p["noise"] = round(noise, 1)
    arr = arr + noise * rng.standard_normal(arr.shape, dtype=np.float32)

    if kind != "fax":
        # Dust on the glass: a few dark specks.
        n = int(rng.integers(0, 60)) if rng.random() < 0.5 else 0
        p["dust"] = n
        ys, xs = rng.integers(0, arr.shape[0], n), rng.integers(0, arr.shape[1], n)
        for y, x in zip(ys, xs):
            r = int(rng.integers(1, max(2, dpi // 100) + 1))
            arr[y:y + r, x:x + r] = np.minimum(arr[y:y + r, x:x + r], rng.uniform(40, 160))
        return np.clip(arr, 0, 255).astype(np.uint8), p

    # Fax: threshold, dithered watermark, speckle, dust clusters, dropouts, line noise, header.
    frac = float(rng.uniform(0.35, 0.65))
    thr = ink + (paper - ink) * frac
    p["threshold"] = int(thr)
    black = arr < thr
    hh, ww = black.shape
    if wm_mask is not None:
        tile = np.tile(BAYER4, (hh // 4 + 1, ww // 4 + 1))[:hh, :ww]
        dark = (255.0 - p["wm_grey"]) / 255.0 * 1.3
        black |= (wm_mask > 0.5) & (tile < dark)
    speckle = float(rng.uniform(2e-4, 3e-3))
    p["speckle"] = round(speckle, 5)
    black |= rng.random(black.shape) < speckle
    clusters = int(rng.integers(5, 120))
    p["dust"] = clusters
    for _ in range(clusters):
        y, x = int(rng.integers(0, hh)), int(rng.integers(0, ww))
        r = int(rng.integers(1, 4))
        blob = rng.random((r * 2 + 1, r * 2 + 1)) < 0.6
        sl = black[y:y + 2 * r + 1, x:x + 2 * r + 1]
        sl |= blob[: sl.shape[0], : sl.shape[1]]
    dropout = float(rng.uniform(0, 0.03))
    black &= ~(rng.random(black.shape) < dropout)
    lines = int(rng.integers(0, 4)) if rng.random() < 0.5 else 0
    p["line_noise"] = lines
    for _ in range(lines):
        y = int(rng.integers(0, hh))
        x0 = int(rng.integers(0, ww))
        x1 = min(ww, x0 + int(rng.integers(ww // 10, ww)))
        if rng.random() < 0.5:
            black[y, x0:x1] = rng.random(x1 - x0) < 0.7  # a line of garbage
        else:
            black[y, x0:x1] = False  # a lost line
    if rng.random() < 0.7:
        strip = fax_header(ww, dpi, rng, page_no, pages)
        if dpi_y != dpi:
            strip = strip[::2]
        black[: strip.shape[0]] = strip
        p["fax_header"] = "yes"
    else:
        p["fax_header"] = "no"
    return ~black, p


def blank_page(kind: str, rng: np.random.Generator, sources: list[dict], dpi_hint: int):
    """A blank or near-blank page in a stack: plain, bleed-through of a back side, or a line."""
    style = rng.choice(["blank", "bleed", "left-blank"])
    dpi = 200 if kind == "fax" else dpi_hint
    w, h = int(8.5 * dpi), int(11 * dpi)
    paper = rng.uniform(225, 250)
    arr = np.full((h, w), paper, dtype=np.float32)
    if style == "bleed":
        back = render(sources[int(rng.integers(len(sources)))]["path"], dpi).astype(np.float32)
        back = ndimage.gaussian_filter(back[:, ::-1], 2.0)[:h, :w]
        arr[: back.shape[0], : back.shape[1]] -= (255.0 - back) / 255.0 * rng.uniform(8, 22)
    elif style == "left-blank":
        font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), int(dpi * 10 / 72))
        im = Image.new("L", (w, h), 0)
        ImageDraw.Draw(im).text((w * 0.33, h * 0.5), "This page intentionally left blank",
                                fill=255, font=font)
        arr -= np.asarray(im, dtype=np.float32) / 255.0 * (paper - 30)
    arr += 3 * rng.standard_normal(arr.shape, dtype=np.float32)
    if kind == "fax":
        white = arr > (paper - 60)
        white &= ~(rng.random(white.shape) < 5e-4)
        return white, style, 200, 200
    return np.clip(arr, 0, 255).astype(np.uint8), style, dpi, dpi


# ----------------------------------------------------------------------------- encoders

def jpeg_bytes(arr: np.ndarray, quality: int, dpi: int | None = None) -> bytes:
    buf = io.BytesIO()
    kw = {"dpi": (dpi, dpi)} if dpi else {}
    Image.fromarray(arr).save(buf, "JPEG", quality=quality, **kw)
    return buf.getvalue()


def g4_bytes(white: np.ndarray) -> tuple[bytes, int]:
    """CCITT Group 4 data for a white-mask, from Pillow's libtiff encoder (one strip)."""
    buf = io.BytesIO()
    Image.fromarray(white).save(buf, "TIFF", compression="group4", strip_size=1 << 30)
    with Image.open(io.BytesIO(buf.getvalue())) as im:
        offs, counts = im.tag_v2[273], im.tag_v2[279]
        photometric = im.tag_v2[262]
    if len(offs) != 1:
        raise RuntimeError("G4 TIFF came out in several strips")
    data = buf.getvalue()[offs[0]:offs[0] + counts[0]]
    return data, photometric


def pdf_image(arr: np.ndarray, encoding: str, quality: int | None) -> dict:
    """An image XObject for the PDF writer."""
    h, w = arr.shape
    if encoding == "jpeg":
        return {"w": w, "h": h, "bpc": 8, "filter": "/DCTDecode", "data": jpeg_bytes(arr, quality)}
    if encoding == "flate8":
        return {"w": w, "h": h, "bpc": 8, "filter": "/FlateDecode",
                "data": zlib.compress(np.ascontiguousarray(arr).tobytes(), 6)}
    if encoding == "flate1":  # DeviceGray 1 bit: 1 is white
        return {"w": w, "h": h, "bpc": 1, "filter": "/FlateDecode",
                "data": zlib.compress(np.packbits(arr, axis=1).tobytes(), 9)}
    if encoding == "ccitt":
        data, photometric = g4_bytes(arr)
        # libtiff codes 0 bits as white runs; Pillow writes mode 1 as MinIsBlack (0 = black),
        # so the "white" runs are the ink and the PDF must be told BlackIs1.
        black_is_1 = "true" if photometric == 1 else "false"
        return {"w": w, "h": h, "bpc": 1, "filter": "/CCITTFaxDecode", "data": data,
                "parms": f"<< /K -1 /Columns {w} /Rows {h} /BlackIs1 {black_is_1} >>"}
    raise ValueError(encoding)


def write_pdf(path: Path, pages: list[tuple[dict, int, int]], producer: str) -> None:
    """A minimal PDF: each page is one full-page image. pages: (xobject, dpi_x, dpi_y)."""
    objs: list[bytes] = []  # object i+1

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(d: str, data: bytes) -> bytes:
        return f"<< {d} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    add(b"")  # 1: catalog, filled below
    add(b"")  # 2: pages
    kids = []
    for img, dx, dy in pages:
        pw, ph = img["w"] / dx * 72.0, img["h"] / dy * 72.0
        parms = f" /DecodeParms {img['parms']}" if "parms" in img else ""
        im = add(stream(f"/Type /XObject /Subtype /Image /Width {img['w']} /Height {img['h']} "
                        f"/ColorSpace /DeviceGray /BitsPerComponent {img['bpc']} "
                        f"/Filter {img['filter']}{parms}", img["data"]))
        content = f"q {pw:.3f} 0 0 {ph:.3f} 0 0 cm /Im0 Do Q".encode()
        cs = add(stream("", content))
        kids.append(add(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.3f} {ph:.3f}] "
                        f"/Resources << /XObject << /Im0 {im} 0 R >> >> /Contents {cs} 0 R >>"
                        .encode()))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
               f"/Count {len(kids)} >>").encode()
    info = add(f"<< /Producer ({producer}) /Creator ({producer}) >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info {info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(bytes(out))


def pdf_encoding(kind: str, rng: np.random.Generator) -> str:
    if kind == "fax":
        return str(rng.choice(["ccitt", "flate1"]))
    return "jpeg" if rng.random() < 0.75 else "flate8"


def squared(white: np.ndarray, p: dict) -> np.ndarray:
    """A standard-mode fax as square pixels (each line twice), as a fax-to-PNG tool stores it."""
    return np.repeat(white, 2, axis=0) if p["dpi_y"] != p["dpi"] else white


# ----------------------------------------------------------------------------- the set

def balanced(n: int, rng: np.random.Generator) -> list[str]:
    kinds = []
    for k in KINDS:
        kinds += [k] * int(round(n * KIND_SHARE[k]))
    while len(kinds) < n:
        kinds.append(KINDS[len(kinds) % 3])
    kinds = kinds[:n]
    return [kinds[i] for i in rng.permutation(n)]


def make_scan(i: int, kind: str, deck: SourceDeck, rng, out: Path) -> list[dict]:
    src = deck.draw()
    arr, p = degrade(src, kind, rng)
    enc = pdf_encoding(kind, rng)
    q = int(rng.integers(40, 71)) if enc == "jpeg" else None
    name = f"scan-{i:03d}.pdf"
    write_pdf(out / name, [(pdf_image(arr, enc, q), p["dpi"], p["dpi_y"])],
              str(rng.choice(PRODUCERS)))
    return [{"file": name, "page": 1, "receipt_number": src["number"], "category": "scan",
             "encoding": enc, "jpeg_quality": q or "", **p}]


def make_stack(i: int, kind: str, deck: SourceDeck, rng, out: Path, sources) -> list[dict]:
    n_pages = int(rng.integers(3, 7))
    n_blank = 0
    if rng.random() < 0.45:
        n_blank = 1 if n_pages < 5 or rng.random() < 0.7 else 2
    # Blank pages go between notices: never first.
    slots = sorted(rng.choice(np.arange(1, n_pages - 1), size=n_blank, replace=False).tolist())
    batch = rng.random() < 0.6  # one copier batch: one kind and resolution for the stack
    device = {}
    if batch:
        if kind == "fax":
            device["fax_mode"] = str(rng.choice(["fine", "standard", "low", "mid"]))
        else:
            device["dpi"] = int(rng.choice([150, 200, 240, 300]))
    enc_batch = pdf_encoding(kind, rng)
    q_batch = int(rng.integers(40, 71))
    pages, rows, used = [], [], set()
    for k in range(1, n_pages + 1):
        page_kind = kind if batch else str(rng.choice(KINDS, p=[0.45, 0.25, 0.3]))
        enc = enc_batch if batch else pdf_encoding(page_kind, rng)
        if (enc in ("ccitt", "flate1")) != (page_kind == "fax"):
            enc = pdf_encoding(page_kind, rng)
        q = (q_batch if batch else int(rng.integers(40, 71))) if enc == "jpeg" else None
        if k - 1 in slots:
            arr, style, dx, dy = blank_page(page_kind, rng, sources, device.get("dpi", 200))
            pages.append((pdf_image(arr, enc, q), dx, dy))
            continue
        src = deck.draw(used)
        used.add(src["name"])
        arr, p = degrade(src, page_kind, rng, k, n_pages, device)
        pages.append((pdf_image(arr, enc, q), p["dpi"], p["dpi_y"]))
        rows.append({"page": k, "receipt_number": src["number"], "encoding": enc,
                     "jpeg_quality": q or "", **p})
    name = f"stack-{i:03d}.pdf"
    write_pdf(out / name, pages, str(rng.choice(PRODUCERS)))
    for r in rows:
        r.update({"file": name, "category": "stack", "stack_pages": n_pages,
                  "blank_pages": ";".join(str(s + 1) for s in slots)})
    return rows


def make_image(i: int, kind: str, deck: SourceDeck, rng, out: Path) -> list[dict]:
    src = deck.draw()
    arr, p = degrade(src, kind, rng)
    q = ""
    tag = "yes"
    if kind == "fax":
        if rng.random() < 0.6:
            enc, name = "tiff-g4", f"image-{i:03d}.tif"
            Image.fromarray(arr).save(out / name, "TIFF", compression="group4",
                                      dpi=(p["dpi"], p["dpi_y"]))
        else:
            enc, name = "png-1bit", f"image-{i:03d}.png"
            Image.fromarray(squared(arr, p)).save(out / name, "PNG", dpi=(p["dpi"], p["dpi"]))
    else:
        r = rng.random()
        tag = "yes" if rng.random() < 0.7 else "no"
        dpi_kw = {"dpi": (p["dpi"], p["dpi"])} if tag == "yes" else {}
        im = Image.fromarray(arr)
        if r < 0.4:
            q = int(rng.integers(40, 71))
            enc, name = "jpeg", f"image-{i:03d}.jpg"
            im.save(out / name, "JPEG", quality=q, **dpi_kw)
        elif r < 0.75:
            enc, name = "png", f"image-{i:03d}.png"
            im.save(out / name, "PNG", **dpi_kw)
        else:
            enc = str(rng.choice(["tiff-lzw", "tiff-deflate"]))
            name = f"image-{i:03d}.tif"
            tag = "yes"
            im.save(out / name, "TIFF", compression="tiff_lzw" if enc == "tiff-lzw"
                    else "tiff_adobe_deflate", dpi=(p["dpi"], p["dpi"]))
    return [{"file": name, "page": 1, "receipt_number": src["number"], "category": "image",
             "encoding": enc, "jpeg_quality": q, "dpi_tag": tag, **p}]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=10, help="files per category (default 10)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--samples", type=Path, default=None,
                    help="folder with expected.csv and text/ (default /work/main/samples or the repo's)")
    ap.add_argument("--only", choices=CATEGORIES, help="make one category only (truth.csv for it alone)")
    a = ap.parse_args(argv)
    sources = load_sources(a.samples or default_samples())
    if len(sources) < 7:
        raise SystemExit(f"only {len(sources)} sources found")
    a.out.mkdir(parents=True, exist_ok=True)
    plan = np.random.default_rng([a.seed, 0])
    kinds = {c: balanced(a.count, plan) for c in CATEGORIES}
    deck = SourceDeck(sources, np.random.default_rng([a.seed, 1]))
    truth: list[dict] = []
    t0 = time.time()
    for ci, cat in enumerate(CATEGORIES):
        if a.only and cat != a.only:
            continue
        for i in range(1, a.count + 1):
            rng = np.random.default_rng([a.seed, 10 + ci, i])
            kind = kinds[cat][i - 1]
            if cat == "scan":
                truth += make_scan(i, kind, deck, rng, a.out)
            elif cat == "stack":
                truth += make_stack(i, kind, deck, rng, a.out, sources)
            else:
                truth += make_image(i, kind, deck, rng, a.out)
    with (a.out / "truth.csv").open("w", newline="", encoding="utf-8") as f:
        wr = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        wr.writeheader()
        for row in truth:
            wr.writerow({k: row.get(k, "") for k in FIELDS})
    files = len({r["file"] for r in truth})
    print(f"{len(truth)} numbers in {files} files -> {a.out} ({time.time() - t0:.0f} s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
