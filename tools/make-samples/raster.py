"""From a drawn page to pixels, and from clean pixels to what scanners and phones make of them.

Pages are drawn with reportlab (the same drawing as the text PDFs) and rendered by poppler's
`pdftoppm`; the degradations below are applied with numpy/Pillow (and OpenCV for the phone
photos' perspective warp). Each function takes its own seeded generator.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

import cv2
import numpy as np
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

Draw = Callable[[Canvas], None]  # draws pages, calling showPage after each


def pdf_bytes(draw: Draw) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=letter, invariant=1)
    draw(c)
    c.save()
    return buf.getvalue()


def render(draw: Draw, dpi: int, color: bool = False) -> list[Image.Image]:
    """Every page the drawing makes, rendered at `dpi` (gray 'L' or 'RGB')."""
    data = pdf_bytes(draw)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.pdf"
        src.write_bytes(data)
        args = ["pdftoppm", "-r", str(dpi), "-png"]
        if not color:
            args.append("-gray")
        subprocess.run(args + [str(src), str(Path(tmp) / "p")], check=True)
        pages = []
        for f in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1])):
            im = Image.open(f)
            im.load()
            im = im.convert("RGB" if color else "L")
            im.info["dpi"] = (dpi, dpi)
            pages.append(im)
    return pages


def blank_page(dpi: int) -> Image.Image:
    w, h = round(8.5 * dpi), round(11 * dpi)
    im = Image.new("L", (w, h), 255)
    im.info["dpi"] = (dpi, dpi)
    return im


def low_freq(rng: np.random.Generator, shape: tuple[int, int], cells: int = 8) -> np.ndarray:
    """A smooth random field in [0, 1] (bicubic upscale of a small random grid)."""
    h, w = shape
    small = rng.random((cells, max(2, round(cells * w / h))), dtype=np.float32)
    big = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    f = np.asarray(big, dtype=np.float32) / 255.0
    f -= f.min()
    return f / max(f.max(), 1e-6)


def scan(page: Image.Image, rng: np.random.Generator, *, skew: float = 0.0, paper: float = 0.95,
         ink: float = 0.12, toner: float = 0.25, noise: float = 0.025, blur: float = 0.5,
         speckle: float = 1.5e-4, edge_shadow: bool = True, show_through: Image.Image | None = None
         ) -> Image.Image:
    """Degrades a clean gray page the way a flatbed or sheet-fed scanner does: paper tone and
    grain, uneven toner, slight blur, sensor noise, dust specks, a few tenths of a degree to two
    degrees of skew, a dark strip at the leading edge. Returns an 8-bit gray image."""
    dpi = page.info.get("dpi", (200, 200))
    a = np.asarray(page, dtype=np.float32) / 255.0
    h, w = a.shape
    inkmask = 1.0 - a
    inkmask *= 1.0 - toner * low_freq(rng, (h, w), 6)
    base = paper - 0.03 * low_freq(rng, (h, w), 4)
    img = base - (base - ink) * inkmask
    if show_through is not None:
        ghost = 1.0 - np.asarray(show_through.transpose(Image.FLIP_LEFT_RIGHT).resize((w, h)),
                                 dtype=np.float32) / 255.0
        img -= 0.06 * ghost
    out = Image.fromarray(np.clip(img * 255, 0, 255).astype(np.uint8))
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur * dpi[0] / 200))
    a = np.asarray(out, dtype=np.float32) / 255.0
    a = a + rng.normal(0, noise, a.shape).astype(np.float32)
    n = int(speckle * h * w / 10)
    ys, xs = rng.integers(0, h - 3, n), rng.integers(0, w - 3, n)
    for y, x in zip(ys, xs):
        r = int(rng.integers(1, 3))
        a[y : y + r, x : x + r] = ink + 0.1 * rng.random()
    if edge_shadow:
        strip = max(3, int(0.04 * dpi[0]))
        a[:strip, :] *= np.linspace(0.35, 1.0, strip, dtype=np.float32)[:, None]
    out = Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8))
    if skew:
        fill = int(paper * 255)
        out = out.rotate(skew, resample=Image.BICUBIC, fillcolor=fill)
    out.info["dpi"] = dpi
    return out


def bilevel(img: Image.Image, threshold: int = 150) -> Image.Image:
    """A scanner's black-and-white mode: a plain threshold (so thin strokes break a little)."""
    out = img.point(lambda v: 255 if v > threshold else 0).convert("1", dither=Image.NONE)
    out.info["dpi"] = img.info.get("dpi", (200, 200))
    return out


# --- phone photos ---------------------------------------------------------------------------------


def wood(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A table top: warm brown with soft grain running across. Smooth on purpose: real photos of
    a table are slightly out of focus, and it keeps the JPEG small."""
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    xx = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    warp = low_freq(rng, (h, w), 5) * 5.0
    fine = low_freq(rng, (h, w), 40) * 1.5
    grain = (0.6 * (0.5 + 0.5 * np.sin((yy * 70.0 + warp + fine + 0.3 * xx) * np.pi)) ** 4
             + 0.4 * (0.5 + 0.5 * np.sin((yy * 17.0 + 0.6 * warp) * np.pi)) ** 2)
    tone = 0.85 + 0.15 * low_freq(rng, (h, w), 3)
    base = np.array([0.55, 0.36, 0.20], dtype=np.float32)
    dark = np.array([0.38, 0.23, 0.12], dtype=np.float32)
    img = (base[None, None, :] * (1 - grain[..., None]) + dark[None, None, :] * grain[..., None])
    return img * tone[..., None]


def desk(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A dark gray desk mat with a little mottling."""
    f = low_freq(rng, (h, w), 6)
    base = np.array([0.22, 0.23, 0.25], dtype=np.float32)
    return base[None, None, :] * (0.85 + 0.3 * f[..., None])


def photo(page_rgb: Image.Image, rng: np.random.Generator, *, size: tuple[int, int] = (3000, 4000),
          corners: list[tuple[float, float]], background: str = "wood", light: float = 0.35,
          shadow: tuple[float, float, float] | None = None, blur: float = 1.2,
          noise: float = 0.012) -> Image.Image:
    """A phone photo of a printed page lying on a table. `corners` are where the page's
    top-left, top-right, bottom-right, bottom-left land, as fractions of the frame.
    `shadow` = (x, y, radius) fractions: a soft dark blob (the photographer's hand or phone)."""
    W, H = size
    bg = wood(rng, H, W) if background == "wood" else desk(rng, H, W)
    page = np.asarray(page_rgb, dtype=np.float32) / 255.0
    ph, pw = page.shape[:2]
    paper = np.array([0.96, 0.95, 0.91], dtype=np.float32)
    inkc = np.array([0.10, 0.10, 0.13], dtype=np.float32)
    page = paper + (inkc - paper) * (1.0 - page.mean(axis=2, keepdims=True))
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    dst = np.float32([[x * W, y * H] for x, y in corners])
    M = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, M, (W, H), flags=cv2.INTER_AREA, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), M, (W, H), flags=cv2.INTER_LINEAR)
    # Drop shadow: the mask, blurred and shifted down-right, darkens the table.
    sh = cv2.GaussianBlur(mask, (0, 0), 25)
    sh = np.roll(np.roll(sh, 18, axis=0), 12, axis=1)
    bg = bg * (1.0 - 0.45 * sh[..., None])
    img = bg * (1 - mask[..., None]) + warped * mask[..., None]
    # Light falls off from one side; corners darker (lens vignetting).
    yy = np.linspace(-1, 1, H, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, W, dtype=np.float32)[None, :]
    ang = rng.uniform(0, 2 * np.pi)
    grad = 1.0 - light * 0.5 * (1 + (np.cos(ang) * xx + np.sin(ang) * yy) / 1.42)
    vign = 1.0 - 0.18 * (xx ** 2 + yy ** 2)
    lightmap = grad * vign
    if shadow:
        sx, sy, sr = shadow
        d2 = ((xx + 1) / 2 * W - sx * W) ** 2 + ((yy + 1) / 2 * H - sy * H) ** 2
        lightmap = lightmap * (1.0 - 0.35 * np.exp(-d2 / (2 * (sr * W) ** 2)))
    img = img * lightmap[..., None]
    img = cv2.GaussianBlur(img, (0, 0), blur)
    img = img + rng.normal(0, noise, img.shape).astype(np.float32)
    return Image.fromarray(np.clip(img * 255, 0, 255).astype(np.uint8), "RGB")


def dark_left_edge(img: Image.Image, width: int = 2) -> Image.Image:
    """A black line down the left edge, as sheet-fed scanners leave at the paper's edge.

    Used on the JBIG2 sample for a second reason: poppler 22.12's JBIG2 MMR decoder leaves stale
    runs in a row that is entirely white (vertical streaks under text), while Ghostscript's
    jbig2dec and every CCITT G4 decoder read the same code correctly. With no all-white row, all
    decoders agree pixel for pixel, so the sample tests the tool, not a reference renderer's bug."""
    a = np.asarray(img.convert("L")).copy()
    a[:, :width] = 0
    out = Image.fromarray(a).convert("1", dither=Image.NONE)
    out.info["dpi"] = img.info.get("dpi", (200, 200))
    return out
