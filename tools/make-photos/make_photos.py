#!/usr/bin/env python3
"""Simulated phone photos of printed I-797 notices lying on a table.

Independent of tools/make-samples: no OpenCV, no shared code. The sheet is placed with a
scikit-image ProjectiveTransform built from a small camera model (in-plane tilt + keystone of a
phone held above the table), composited over procedurally generated surfaces (numpy noise),
lit unevenly, blurred, noised, sharpened like a phone does, and saved as JPEG by Pillow.

    make_photos.py --seed N --count K --out DIR [--heic | --no-heic]

Writes DIR/photo-NNN.jpg (and optionally one .heic copy) and DIR/truth.csv.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, asdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from scipy import ndimage
from skimage.transform import ProjectiveTransform, warp

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SAMPLES = Path("/work/main/samples") if Path("/work/main/samples").is_dir() else REPO / "samples"

BACKGROUNDS = ("wood", "fabric", "dark_table", "granite")

TRUTH_COLUMNS = [
    "photo", "source", "page", "receipt_number", "format", "width", "height",
    "render_dpi", "tilt_deg", "turn", "keystone", "keystone_side", "fill",
    "background", "bg_variant", "light_falloff", "light_corner", "vignette",
    "shadow", "blur_sigma", "noise", "sharpen", "jpeg_quality", "dpi_tag", "creases",
]


# ----------------------------------------------------------------------------------------------
# sources


def load_sources(samples: Path) -> list[tuple[Path, str]]:
    """(pdf path, expected receipt number) for every text PDF whose page 1 has an ok number."""
    first: dict[str, str] = {}
    with open(samples / "expected.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["file"].startswith("samples/text/") or row["page"] != "1":
                continue
            if row["status"] != "ok" or not row["receipt_number"]:
                continue
            first.setdefault(row["file"], row["receipt_number"])
    out = []
    for rel, number in sorted(first.items()):
        p = samples.parent / rel
        if p.is_file():
            out.append((p, number))
    return out


def render_page(pdf: Path, dpi: int) -> np.ndarray:
    """Page 1 as float32 gray in [0, 1] (1 = paper)."""
    with tempfile.TemporaryDirectory() as td:
        base = os.path.join(td, "p")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1",
                        "-singlefile", "-png", str(pdf), base], check=True)
        im = Image.open(base + ".png").convert("L")
        return np.asarray(im, dtype=np.float32) / 255.0


# ----------------------------------------------------------------------------------------------
# noise helpers (all driven by an explicit Generator)


def resize_f(a: np.ndarray, w: int, h: int) -> np.ndarray:
    return np.asarray(Image.fromarray(a.astype(np.float32)).resize((w, h), Image.BICUBIC))


def smooth_noise(rng, h, w, cells_y, cells_x) -> np.ndarray:
    """Value noise: a random grid of cells_y x cells_x upscaled bicubically to h x w, ~[-1, 1]."""
    g = rng.standard_normal((max(2, int(cells_y)), max(2, int(cells_x)))).astype(np.float32)
    return resize_f(g, w, h) * 0.7


def fractal(rng, h, w, base_cells, octaves=5, gain=0.5, aniso=1.0) -> np.ndarray:
    """Sum of value-noise octaves. aniso > 1 stretches features along x."""
    out = np.zeros((h, w), np.float32)
    amp, cells, total = 1.0, float(base_cells), 0.0
    for _ in range(octaves):
        cy = cells * h / max(h, w)
        cx = cells * w / max(h, w) / aniso
        out += amp * smooth_noise(rng, h, w, cy + 2, cx + 2)
        total += amp
        amp *= gain
        cells *= 2.0
        if cells > max(h, w) / 2:
            break
    return out / total


def rotate_crop(a: np.ndarray, angle: float, h: int, w: int) -> np.ndarray:
    """Rotate a (bigger) float image and take the central h x w."""
    im = Image.fromarray(a.astype(np.float32)).rotate(angle, Image.BICUBIC)
    r = np.asarray(im)
    y0 = (r.shape[0] - h) // 2
    x0 = (r.shape[1] - w) // 2
    return r[y0:y0 + h, x0:x0 + w]


def lerp_rgb(t: np.ndarray, c0, c1) -> np.ndarray:
    c0 = np.asarray(c0, np.float32)
    c1 = np.asarray(c1, np.float32)
    return c0 + (c1 - c0) * t[..., None]


def srgb_to_lin(c):
    c = np.asarray(c, np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def lin_to_srgb(c):
    """In place on a float32 array (the linear toe below 0.3 % is dropped: it is under the noise)."""
    np.clip(c, 0.0031308, 1.0, out=c)
    np.power(c, np.float32(1 / 2.4), out=c)
    c *= np.float32(1.055)
    c -= np.float32(0.055)
    return c


# ----------------------------------------------------------------------------------------------
# backgrounds: linear-light RGB reflectance, float32 (h, w, 3)


def bg_wood(rng, h, w):
    variant = str(rng.choice(["oak", "walnut", "pine", "teak", "grey_ash"]))
    palettes = {  # (light early wood, dark late wood) in sRGB
        "oak": ((0.70, 0.52, 0.33), (0.45, 0.29, 0.15)),
        "walnut": ((0.42, 0.28, 0.18), (0.20, 0.12, 0.07)),
        "pine": ((0.84, 0.68, 0.46), (0.62, 0.42, 0.22)),
        "teak": ((0.58, 0.36, 0.20), (0.34, 0.19, 0.09)),
        "grey_ash": ((0.58, 0.54, 0.49), (0.33, 0.30, 0.27)),
    }
    light, dark = palettes[variant]
    jitter = rng.uniform(0.9, 1.08)
    light = srgb_to_lin(np.clip(np.array(light) * jitter, 0, 1))
    dark = srgb_to_lin(np.clip(np.array(dark) * jitter, 0, 1))

    # Work in grain coordinates (grain along x), on a canvas big enough to rotate.
    angle = float(rng.uniform(-8, 8))
    across = bool(rng.random() < 0.5)  # grain runs along the frame's long or short side
    if across:
        h, w = w, h
    ca, sa = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
    H = int(math.ceil(h * ca + w * sa)) + 4
    W = int(math.ceil(w * ca + h * sa)) + 4
    board_w = int(rng.uniform(0.18, 0.42) * min(h, w))
    y = np.arange(H, dtype=np.float32)[:, None]
    x = np.arange(W, dtype=np.float32)[None, :]
    tone = np.zeros((H, W), np.float32)
    color_shift = np.zeros((H, W), np.float32)
    # Wavy distortion shared by the ring field, stretched along the grain.
    warp1 = fractal(rng, H, W, 6, octaves=3, aniso=6.0)
    warp2 = fractal(rng, H, W, 24, octaves=3, aniso=10.0)
    board_edges = np.arange(-rng.uniform(0, board_w), H + board_w, board_w)
    board_idx = np.clip(np.searchsorted(board_edges, y[:, 0]) - 1, 0, len(board_edges) - 1)
    ring_period = float(rng.uniform(0.012, 0.035) * min(h, w))
    for b in range(len(board_edges)):
        rows = board_idx == b
        if not rows.any():
            continue
        ys = y[rows]
        # Flat-sawn cathedral arches: distance to a pith far off the board, plus waviness.
        cx = rng.uniform(-0.5, 1.5) * W
        cy = board_edges[b] + rng.uniform(-3, 4) * board_w
        stretch = rng.uniform(0.04, 0.15)
        d = np.sqrt((ys - cy) ** 2 + ((x - cx) * stretch) ** 2)
        t = d / ring_period + 2.5 * warp1[rows] + 0.6 * warp2[rows]
        p = t - np.floor(t)
        # late wood: a sharp dark band, early wood: broad light zone
        late = np.exp(-((p - 0.75) / rng.uniform(0.06, 0.14)) ** 2)
        tone[rows] = 0.55 * late
        color_shift[rows] = rng.uniform(-0.12, 0.12)
    # pores / streaks: fine noise stretched hard along the grain
    streak = fractal(rng, H, W, max(h, w) / 6, octaves=3, gain=0.6, aniso=40.0)
    fine = rng.standard_normal((H, W)).astype(np.float32)
    fine = ndimage.uniform_filter1d(fine, size=int(rng.uniform(15, 60)), axis=1)
    tone += 0.30 * streak + 0.25 * fine
    tone += 0.18 * fractal(rng, H, W, 3, octaves=3)
    tone += color_shift
    # seams between boards: a dark gap with a slight bevel highlight
    seam = np.zeros(H, np.float32)
    for e in board_edges:
        e = int(round(e))
        gw = int(rng.integers(2, 6))
        if 0 <= e < H - gw - 2:
            seam[e:e + gw] = 1.0
            seam[e + gw:e + gw + 2] = -0.3
    seam = ndimage.gaussian_filter1d(seam, 1.0)
    tone = np.clip(tone, -0.2, 1.2)
    tone = rotate_crop(tone, angle, h, w)
    seam2 = rotate_crop(np.broadcast_to(seam[:, None], (H, W)).copy(), angle, h, w)
    rgb = lerp_rgb(np.clip(tone, 0, 1), light, dark)
    rgb *= (1.0 - 0.85 * np.clip(seam2, 0, 1))[..., None]
    rgb *= (1.0 + 0.25 * np.clip(-seam2, 0, 1))[..., None]
    if across:
        rgb = np.ascontiguousarray(np.rot90(rgb))
    return np.clip(rgb, 0, 1), variant


def bg_fabric(rng, h, w):
    variant = str(rng.choice(["denim", "linen", "twill", "gingham", "felt"]))
    colors = {
        "denim": (0.16, 0.22, 0.36),
        "linen": (0.55, 0.50, 0.42),
        "twill": (0.22, 0.22, 0.24),
        "gingham": (0.50, 0.10, 0.12),
        "felt": (0.10, 0.25, 0.16),
    }
    base = np.array(colors[variant]) * rng.uniform(0.8, 1.15)
    if variant in ("twill", "denim") and rng.random() < 0.4:
        base = np.array(rng.choice([(0.35, 0.12, 0.10), (0.12, 0.12, 0.13), (0.28, 0.26, 0.22)]))
    base = srgb_to_lin(np.clip(base, 0, 1))
    p = float(rng.uniform(3.0, 7.0))  # thread pitch in pixels
    y = np.arange(h, dtype=np.float32)[:, None]
    x = np.arange(w, dtype=np.float32)[None, :]
    # threads meander a little
    mx = fractal(rng, h, w, 20, octaves=2) * p * 0.8
    my = fractal(rng, h, w, 20, octaves=2) * p * 0.8
    u = (x + mx) / p
    v = (y + my) / p
    iu = np.floor(u).astype(np.int32)
    iv = np.floor(v).astype(np.int32)
    fu = u - iu
    fv = v - iv
    # per-thread brightness (slubs)
    warp_b = rng.normal(0, 1, int(w / p) + 16).astype(np.float32)
    weft_b = rng.normal(0, 1, int(h / p) + 16).astype(np.float32)
    wb = warp_b[np.clip(iu, 0, len(warp_b) - 1)]
    fb = weft_b[np.clip(iv, 0, len(weft_b) - 1)]
    if variant in ("twill", "denim"):
        top_warp = ((iu + iv) % 4) < 2
    else:
        top_warp = ((iu + iv) % 2) == 0
    prof_u = np.sin(np.pi * fu) ** 0.6  # across a warp thread
    prof_v = np.sin(np.pi * fv) ** 0.6
    if variant == "felt":
        weave = 0.5 + 0.5 * fractal(rng, h, w, max(h, w) / 3, octaves=2)
        thread_var = 0.0
    else:
        weave = np.where(top_warp, prof_u, prof_v)
        thread_var = np.where(top_warp, wb, fb)
    shade = 0.55 + 0.45 * weave + 0.06 * thread_var
    rgb = base[None, None, :] * shade[..., None]
    if variant == "denim":  # white weft shows through on denim
        weft_col = srgb_to_lin(np.array([0.55, 0.57, 0.62]))
        mix = (~top_warp) * 0.35 * prof_v
        rgb = rgb * (1 - mix[..., None]) + weft_col * mix[..., None] * shade[..., None]
    if variant == "gingham":
        sq = rng.uniform(0.025, 0.06) * max(h, w)
        ang = rng.uniform(-10, 10)
        big = int(math.hypot(h, w)) + 4
        yy, xx = np.mgrid[0:big, 0:big].astype(np.float32)  # rotated, then cropped
        a = ((xx // sq) % 2).astype(np.float32)
        b = ((yy // sq) % 2).astype(np.float32)
        a = rotate_crop(a, ang, h, w)
        b = rotate_crop(b, ang, h, w)
        white = srgb_to_lin(np.array([0.85, 0.84, 0.80]))
        k = (a + b) / 2.0  # 0: colour, 0.5: half, 1: white
        rgb = rgb * (1 - k[..., None]) + (white * shade[..., None]) * k[..., None]
    # folds and wrinkles: ridged low-frequency noise
    n = fractal(rng, h, w, rng.uniform(2, 5), octaves=4, aniso=rng.uniform(1, 3))
    ridge = 1.0 - np.abs(n) * 2.0
    fold = 0.75 + 0.35 * np.clip(ridge, -1, 1) + 0.15 * fractal(rng, h, w, 3, octaves=2)
    # fuzz
    fuzz = 1.0 + 0.05 * rng.standard_normal((h, w)).astype(np.float32)
    rgb *= (fold * fuzz)[..., None]
    return np.clip(rgb, 0, 1), variant


def bg_dark_table(rng, h, w):
    variant = str(rng.choice(["black_laminate", "dark_walnut_veneer", "slate", "espresso"]))
    colors = {
        "black_laminate": (0.07, 0.07, 0.075),
        "dark_walnut_veneer": (0.16, 0.10, 0.07),
        "slate": (0.14, 0.15, 0.16),
        "espresso": (0.11, 0.085, 0.07),
    }
    base = srgb_to_lin(np.clip(np.array(colors[variant]) * rng.uniform(0.8, 1.3), 0, 1))
    mott = 1.0 + 0.18 * fractal(rng, h, w, 5, octaves=5)
    grain = 1.0 + 0.10 * rng.standard_normal((h, w)).astype(np.float32)
    if variant == "dark_walnut_veneer":
        s = rng.standard_normal((h, w)).astype(np.float32)
        s = ndimage.uniform_filter1d(s, size=80, axis=1)
        grain += 0.9 * s + 0.2 * fractal(rng, h, w, max(h, w) / 10, octaves=2, aniso=30)
    rgb = base[None, None, :] * (mott * grain)[..., None]
    # glossy sheen: a broad soft reflection of a window or lamp
    y = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    cx, cy = rng.uniform(-1.2, 1.2, 2)
    r = rng.uniform(0.4, 1.0)
    sheen = np.exp(-(((x - cx) ** 2 + ((y - cy) * 0.6) ** 2) / r ** 2)) * rng.uniform(0.02, 0.08)
    rgb += sheen[..., None].astype(np.float32)
    # scratches and dust
    im = Image.new("F", (w, h), 0.0)
    dr = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(20, 80))):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        ln, an = rng.uniform(20, 400), rng.uniform(0, math.pi)
        dr.line([(x0, y0), (x0 + ln * math.cos(an), y0 + ln * math.sin(an))],
                fill=float(rng.uniform(0.01, 0.05)), width=1)
    for _ in range(int(rng.integers(100, 400))):
        x0, y0, rr = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.6, 2.5)
        dr.ellipse([x0 - rr, y0 - rr, x0 + rr, y0 + rr], fill=float(rng.uniform(0.03, 0.2)))
    rgb += np.asarray(im)[..., None]
    return np.clip(rgb, 0, 1), variant


def bg_granite(rng, h, w):
    variant = str(rng.choice(["black_galaxy", "grey_salt_pepper", "brown_baltic", "pink_speckle"]))
    spec = {  # base, then (colour, coverage, scale px) of speckle populations
        "black_galaxy": ((0.05, 0.05, 0.055), [((0.55, 0.52, 0.45), 0.03, 2.0), ((0.15, 0.15, 0.16), 0.3, 6)]),
        "grey_salt_pepper": ((0.50, 0.50, 0.50), [((0.06, 0.06, 0.07), 0.25, 5), ((0.80, 0.80, 0.78), 0.25, 7), ((0.32, 0.31, 0.30), 0.3, 4)]),
        "brown_baltic": ((0.22, 0.14, 0.10), [((0.04, 0.03, 0.03), 0.3, 9), ((0.45, 0.30, 0.22), 0.2, 12), ((0.60, 0.55, 0.50), 0.03, 3)]),
        "pink_speckle": ((0.60, 0.45, 0.42), [((0.08, 0.08, 0.08), 0.2, 4), ((0.85, 0.82, 0.80), 0.25, 6), ((0.40, 0.32, 0.30), 0.25, 8)]),
    }
    base, pops = spec[variant]
    scale = rng.uniform(0.7, 1.5)
    rgb = np.broadcast_to(srgb_to_lin(np.array(base)), (h, w, 3)).astype(np.float32).copy()
    rgb *= (1.0 + 0.1 * fractal(rng, h, w, 4, octaves=3))[..., None]
    for col, cover, sc in pops:
        sc = sc * scale
        n = fractal(rng, h, w, max(h, w) / sc, octaves=2, gain=0.4)
        thr = np.quantile(n[::7, ::7], 1.0 - cover)
        m = np.clip((n - thr) * 8.0, 0, 1)
        c = srgb_to_lin(np.clip(np.array(col) * rng.uniform(0.85, 1.15), 0, 1))
        rgb = rgb * (1 - m[..., None]) + c * m[..., None]
    rgb *= (1.0 + 0.05 * rng.standard_normal((h, w)).astype(np.float32))[..., None]
    # polished: a soft highlight
    y = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    cx, cy = rng.uniform(-1.2, 1.2, 2)
    rgb += (np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / rng.uniform(0.2, 0.8)) * rng.uniform(0.01, 0.05))[..., None]
    return np.clip(rgb, 0, 1), variant


def gauss_rgb(img, sigma):
    out = np.empty_like(img)
    for c in range(img.shape[-1]):
        ndimage.gaussian_filter(img[..., c], sigma, output=out[..., c])
    return out


BG_FUNCS = {"wood": bg_wood, "fabric": bg_fabric, "dark_table": bg_dark_table, "granite": bg_granite}


# ----------------------------------------------------------------------------------------------
# geometry


def sheet_quad(rng, pw, ph, tilt_deg, keystone, side):
    """Corners (TL, TR, BR, BL) of the sheet in scene units before scaling, centred on 0.

    keystone: how much narrower the far edge is than the near one (0.02..0.12); side: which
    edge of the scene is far from the phone. A pitched camera also shortens the sheet along
    the viewing direction a little. Small jitter models paper that is not quite flat."""
    w, h = float(pw), float(ph)
    q = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float64)
    # in-plane rotation of the sheet on the table
    a = math.radians(tilt_deg)
    R = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    q = q @ R.T
    # perspective of the camera pitched towards 'side' (in scene coordinates)
    # far side coordinate t in [-1 (far) .. 1 (near)] along the viewing axis
    if side == "top":
        axis, sign = 1, 1.0
    elif side == "bottom":
        axis, sign = 1, -1.0
    elif side == "left":
        axis, sign = 0, 1.0
    else:
        axis, sign = 0, -1.0
    ext = np.abs(q[:, axis]).max()
    t = sign * q[:, axis] / ext  # -1 at the far end
    # magnification grows linearly from far (1 - k) to near (1); same factor on both axes
    # (a true pinhole: points further away are smaller), centred
    m = 1.0 - keystone * (1.0 - t) / 2.0
    q = q * m[:, None]
    # foreshortening along the viewing axis
    q[:, axis] *= 1.0 - rng.uniform(0.5, 1.5) * keystone
    q += rng.normal(0, 0.002 * max(w, h), q.shape)
    return q - q.mean(axis=0)


def polygon_area(q):
    x, y = q[:, 0], q[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def place_quad(rng, q, W, H, fill):
    """Scale and move q so that its area is fill * W * H and it stays inside the frame with a
    margin; lowers the fill when it does not fit. Returns (quad, actual fill)."""
    s = math.sqrt(fill * W * H / polygon_area(q))
    bw = q[:, 0].max() - q[:, 0].min()
    bh = q[:, 1].max() - q[:, 1].min()
    margin = 0.015
    s = min(s, (1 - 2 * margin) * W / bw, (1 - 2 * margin) * H / bh)
    q = q * s
    bw, bh = bw * s, bh * s
    # off-centre a little, as people do
    free_x = W * (1 - 2 * margin) - bw
    free_y = H * (1 - 2 * margin) - bh
    cx = W / 2 + rng.uniform(-0.5, 0.5) * free_x
    cy = H / 2 + rng.uniform(-0.5, 0.5) * free_y
    q = q - (q.min(axis=0) + q.max(axis=0)) / 2 + np.array([cx, cy])
    return q, polygon_area(q) / (W * H)


# ----------------------------------------------------------------------------------------------
# the photo


@dataclass
class Params:
    render_dpi: int
    tilt_deg: float
    turn: int
    keystone: float
    keystone_side: str
    fill_target: float
    background: str
    light_falloff: float
    light_corner: str
    vignette: float
    shadow: float
    blur_sigma: float
    noise: float
    sharpen: float
    jpeg_quality: int
    dpi_tag: str
    creases: int
    long_side: int
    fill: float = 0.0
    bg_variant: str = ""


def draw_params(rng, background: str, turn: int) -> Params:
    side = str(rng.choice(["top", "top", "top", "top", "top", "top", "left", "right", "bottom"]))
    return Params(
        render_dpi=int(rng.integers(150, 221)),
        tilt_deg=float(rng.uniform(3, 12) * rng.choice([-1, 1])),
        turn=turn,
        keystone=float(rng.uniform(0.02, 0.12)),
        keystone_side=side,
        fill_target=float(rng.uniform(0.55, 0.85)),
        background=background,
        light_falloff=float(rng.uniform(0.15, 0.5)),
        light_corner=str(rng.choice(["tl", "tr", "bl", "br"])),
        vignette=float(rng.uniform(0.15, 0.4)),
        shadow=float(rng.uniform(0.25, 0.55)),
        blur_sigma=float(rng.uniform(0.5, 1.6)),
        noise=float(rng.uniform(0.006, 0.02)),
        sharpen=float(rng.uniform(0.3, 1.0)),
        jpeg_quality=int(rng.integers(60, 86)),
        dpi_tag=str(rng.choice(["none", "none", "72"])),
        creases=int(rng.choice([0, 2, 2, 2])),
        long_side=int(rng.integers(2400, 4001)),
    )


def paper_layer(rng, page: np.ndarray, creases: int):
    """Per-page-pixel ink coverage (0 paper .. 1 ink) and a shading factor (texture, creases)."""
    ph, pw = page.shape
    ink = 1.0 - page
    # toner is not perfectly even
    ink *= (1.0 - 0.12 * np.clip(fractal(rng, ph, pw, 30, octaves=3), -1, 1))
    shade = 1.0 + 0.012 * fractal(rng, ph, pw, pw / 4, octaves=3, gain=0.7)  # fibre texture
    shade += 0.02 * fractal(rng, ph, pw, 3, octaves=2)  # the sheet is not quite flat
    if creases:
        # mailed folded in thirds: two horizontal creases, a light and a dark side
        y = np.arange(ph, dtype=np.float32)[:, None]
        for k in (1, 2):
            yc = ph * k / 3 + rng.normal(0, ph * 0.01)
            wid = rng.uniform(2, 6) * ph / 1650
            d = (y - yc) / wid
            prof = -0.06 * np.exp(-d ** 2) * np.sign(d + 0.3) - 0.03 * np.exp(-(d / 6) ** 2)
            prof = prof * (1.0 + 0.5 * fractal(rng, 1, pw, 6, octaves=2))
            shade = shade + prof.astype(np.float32)
    return np.clip(ink, 0, 1).astype(np.float32), shade.astype(np.float32)


def make_photo(rng, page: np.ndarray, prm: Params):
    W = int(round(prm.long_side * 3 / 4))
    H = prm.long_side
    ph, pw = page.shape

    bg, prm.bg_variant = BG_FUNCS[prm.background](rng, H, W)

    q = sheet_quad(rng, pw, ph, prm.tilt_deg, prm.keystone, prm.keystone_side)
    q, prm.fill = place_quad(rng, q, W, H, prm.fill_target)

    src = np.array([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]], np.float64)
    tf = ProjectiveTransform()
    if not tf.estimate(src, q):
        raise RuntimeError("homography failed")
    ink, shade = paper_layer(rng, page, prm.creases)
    # warp takes the inverse map: output (frame) coords -> input (page) coords
    inv = tf.inverse
    def wp(a, cval=0.0):
        return warp(a, inv, output_shape=(H, W), order=1, cval=cval, preserve_range=True).astype(np.float32)
    ink_f = wp(ink)
    shade_f = wp(shade, 1.0)
    mask = wp(np.ones_like(ink))

    # paper and ink colours (linear)
    pv = rng.uniform(0.88, 0.96)
    warm = rng.uniform(-0.01, 0.025)  # office paper is near neutral, some a little cream
    paper = srgb_to_lin(np.array([pv + warm * 0.6, pv, pv - warm]))
    inkc = srgb_to_lin(np.array([rng.uniform(0.10, 0.22)] * 3) + rng.normal(0, 0.01, 3))
    sheet = np.empty((H, W, 3), np.float32)
    for c in range(3):
        sheet[..., c] = (paper[c] + (inkc[c] - paper[c]) * ink_f) * shade_f
    del ink_f, shade_f

    # soft drop shadow: offset away from the light, blurred
    L = {"tl": (-1, -1), "tr": (1, -1), "bl": (-1, 1), "br": (1, 1)}[prm.light_corner]
    off = rng.uniform(0.002, 0.008) * H
    f = 8  # blur at 1/8 size: the shadow is soft anyway
    small = resize_f(mask, W // f, H // f)
    small = ndimage.shift(small, (-L[1] * off / f, -L[0] * off / f), order=1)
    small = ndimage.gaussian_filter(small, rng.uniform(0.006, 0.015) * H / f)
    sm = np.clip(resize_f(small, W, H), 0, 1)
    bg = bg * (1.0 - prm.shadow * sm)[..., None]

    sheet -= bg
    sheet *= mask[..., None]
    sheet += bg
    img = sheet
    del bg

    # lighting: linear fall-off towards a corner (away from the light), vignette, colour cast
    y = np.linspace(-1, 1, H, dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, W, dtype=np.float32)[None, :]
    lx, ly = L
    # distance from the lit corner along the diagonal, 0 at the light .. 1 at the far corner
    g = ((x * -lx) + (y * -ly) + 2) / 4
    g = 1 - g  # 1 near the light
    light = (1.0 - prm.light_falloff) + prm.light_falloff * g
    r2 = (x ** 2 + y ** 2) / 2
    light = light * (1.0 - prm.vignette * r2 ** 1.2)
    light += 0.04 * fractal(rng, H, W, 2, octaves=2)  # uneven room light
    cast = np.array([rng.uniform(0.96, 1.06), 1.0, rng.uniform(0.92, 1.04)], np.float32)  # white balance
    exposure = rng.uniform(0.95, 1.2)
    img = img * (light[..., None] * cast * exposure)

    # lens: a little blurrier at the far edge (depth of field)
    s0 = prm.blur_sigma
    img = img.astype(np.float32)
    b0 = gauss_rgb(img, s0)
    b1 = gauss_rgb(img, s0 * 1.5)
    side = prm.keystone_side
    far = {"top": (1 - y) / 2, "bottom": (1 + y) / 2, "left": (1 - x) / 2, "right": (1 + x) / 2}[side]
    far = np.broadcast_to(far, (H, W))[..., None].astype(np.float32)
    b1 -= b0
    b1 *= far
    b0 += b1
    img = b0
    del b1

    # sensor: shot + read noise, luminance and lower-resolution chroma noise
    lum_n = rng.standard_normal((H, W)).astype(np.float32)
    sig = prm.noise * np.sqrt(np.clip(img.mean(axis=-1), 0, 1) + 0.02)
    img = img + (lum_n * sig)[..., None]
    ch = rng.standard_normal((H // 4, W // 4, 3)).astype(np.float32)
    for c in range(3):
        img[..., c] += resize_f(ch[..., c], W, H) * np.float32(prm.noise * 0.6)

    srgb = lin_to_srgb(img.astype(np.float32, copy=False))
    # phone processing: unsharp mask on the encoded image
    blur = gauss_rgb(srgb, 2.0)
    blur -= srgb
    blur *= np.float32(-prm.sharpen)
    srgb += blur
    out8 = (np.clip(srgb, 0, 1) * 255.0 + 0.5).astype(np.uint8)

    # stored orientation: phone held sideways / upside down without an orientation tag
    k = {0: 0, 90: -1, 180: 2, 270: 1}[prm.turn]  # turn = clockwise degrees of the page
    out8 = np.rot90(out8, k)
    return np.ascontiguousarray(out8)


def save_jpeg(arr: np.ndarray, path: Path, quality: int, dpi_tag: str):
    im = Image.fromarray(arr)
    kw = dict(quality=quality, subsampling=2, optimize=False)  # 4:2:0 like phones
    if dpi_tag == "72":
        kw["dpi"] = (72, 72)
    im.save(path, "JPEG", **kw)


def heic_copy(jpg: Path, heic: Path, quality: int) -> bool:
    exe = shutil.which("heif-enc")
    if not exe:
        return False
    with tempfile.TemporaryDirectory() as td:
        png = Path(td) / "in.png"
        Image.open(jpg).save(png)
        r = subprocess.run([exe, "-q", str(quality), "-o", str(heic), str(png)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return r.returncode == 0 and heic.is_file()


# ----------------------------------------------------------------------------------------------


def plan(seed: int, count: int, n_sources: int):
    """Balanced, deterministic assignment of source, background kind and turn to each photo."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xC0FFEE]))
    srcs = []
    while len(srcs) < count:
        srcs.extend(rng.permutation(n_sources).tolist())
    kinds = []
    while len(kinds) < count:
        kinds.extend(rng.permutation(len(BACKGROUNDS)).tolist())
    n90 = int(round(0.20 * count))
    n180 = int(round(0.05 * count))
    turns = [90 if i % 2 == 0 else 270 for i in range(n90)] + [180] * n180
    turns += [0] * (count - len(turns))
    turns = [turns[i] for i in rng.permutation(count)]
    return [(srcs[i], BACKGROUNDS[kinds[i]], turns[i]) for i in range(count)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES,
                    help="the samples/ folder holding expected.csv and text/ (default: %(default)s)")
    ap.add_argument("--heic", dest="heic", action="store_true", default=None,
                    help="also write one HEIC copy (default: when heif-enc is installed)")
    ap.add_argument("--no-heic", dest="heic", action="store_false")
    ap.add_argument("--only", type=int, default=None, help="make only photo number N (1-based)")
    ap.add_argument("--prefix", default="photo", help="file name prefix (default: photo)")
    ap.add_argument("--source", help="use only this source (a path under samples/, e.g. samples/text/x.pdf)")
    ap.add_argument("--background", choices=BACKGROUNDS, help="force this background kind")
    ap.add_argument("--turn", type=int, choices=(0, 90, 180, 270), help="force this turn")
    ap.add_argument("--name", help="file name of the photo (with --count 1)")
    a = ap.parse_args(argv)

    sources = load_sources(a.samples)
    if a.source:
        sources = [s for s in sources if str(s[0].relative_to(a.samples.parent)) == a.source]
    if not sources:
        sys.exit(f"no sources under {a.samples}")
    a.out.mkdir(parents=True, exist_ok=True)
    heic = a.heic if a.heic is not None else bool(shutil.which("heif-enc"))
    if heic and not shutil.which("heif-enc"):
        print("heif-enc not installed (apt-get install libheif-examples): no HEIC copy", file=sys.stderr)
        heic = False

    rows = []
    heic_done = False
    for i, (si, kind, turn) in enumerate(plan(a.seed, a.count, len(sources)), start=1):
        kind = a.background or kind
        turn = a.turn if a.turn is not None else turn
        rng = np.random.default_rng(np.random.SeedSequence([a.seed, i]))
        prm = draw_params(rng, kind, turn)
        if a.only is not None and a.only != i:
            continue
        pdf, number = sources[si]
        page = render_page(pdf, prm.render_dpi)
        arr = make_photo(rng, page, prm)
        name = a.name if a.name else f"{a.prefix}-{i:03d}.jpg"
        save_jpeg(arr, a.out / name, prm.jpeg_quality, prm.dpi_tag)
        base = {
            "photo": name, "source": str(pdf.relative_to(a.samples.parent)), "page": 1,
            "receipt_number": number, "format": "jpeg", "width": arr.shape[1], "height": arr.shape[0],
            "render_dpi": prm.render_dpi, "tilt_deg": f"{prm.tilt_deg:.2f}", "turn": prm.turn,
            "keystone": f"{prm.keystone:.3f}", "keystone_side": prm.keystone_side,
            "fill": f"{prm.fill:.3f}", "background": prm.background, "bg_variant": prm.bg_variant,
            "light_falloff": f"{prm.light_falloff:.2f}", "light_corner": prm.light_corner,
            "vignette": f"{prm.vignette:.2f}", "shadow": f"{prm.shadow:.2f}",
            "blur_sigma": f"{prm.blur_sigma:.2f}", "noise": f"{prm.noise:.4f}",
            "sharpen": f"{prm.sharpen:.2f}", "jpeg_quality": prm.jpeg_quality,
            "dpi_tag": prm.dpi_tag, "creases": prm.creases,
        }
        rows.append(base)
        print(f"{name}: {pdf.name} {number} {kind}/{prm.bg_variant} turn={turn} "
              f"tilt={prm.tilt_deg:.1f} fill={prm.fill:.2f} q={prm.jpeg_quality}", flush=True)
        # one HEIC copy: of the first sideways photo (or the last photo if none is sideways)
        if heic and not heic_done and (turn in (90, 270) or i == a.count):
            hname = name[:-4] + ".heic"
            if heic_copy(a.out / name, a.out / hname, 50):
                rows.append(dict(base, photo=hname, format="heic"))
                heic_done = True
                print(f"{hname}: HEIC copy of {name}", flush=True)
            else:
                print("heif-enc failed: no HEIC copy", file=sys.stderr)
                heic = False

    if a.only is None:
        with open(a.out / "truth.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=TRUTH_COLUMNS)
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    main()
