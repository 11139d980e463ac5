#!/usr/bin/env python3
"""Scanned-notice test sets made another way than tools/make-samples: office scans and faxes.

    make_scans.py --seed N --out DIR [--count K] [--samples DIR]

Renders page 1 of each committed text notice (`samples/text/*.pdf` with an ok number in
`samples/expected.csv`) with `pdftoppm -gray`, degrades it as a flatbed scanner, a fax or a copier
would, and writes three kinds of file, K of each, with DIR/truth.csv (one row per expected number):

  scan   a one-page PDF holding the page as one picture (JPEG, or 1-bit for a fax)
  stack  a 3-5 page PDF of several notices, sometimes with a blank page between
  image  a PNG, JPEG or 1-bit TIFF file

Degradations (each page its own, from numpy's Generator seeded by --seed): resolution 100-300 dpi,
skew up to 2.5 degrees, faint or dark toner, grey paper, blur, sensor noise, speckle, a diagonal
"SAMPLE" watermark in light grey (over the number on some pages), JPEG quality 40-70, or a
threshold to black and white. Uses Pillow, numpy and scipy only; no code from tools/make-samples.
"""
from __future__ import annotations

import argparse
import csv
import io
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

ROOT = Path(__file__).resolve().parents[2]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"


def sources(samples: Path) -> list[tuple[Path, str]]:
    rows = csv.DictReader((samples / "expected.csv").open(encoding="utf-8"))
    found = []
    for row in rows:
        if row["file"].startswith("samples/text/") and row["page"] == "1" and row["status"] == "ok":
            found.append((samples.parent / row["file"], row["receipt_number"]))
    return sorted(set(found))


def render(pdf: Path, dpi: int) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-png",
                        "-singlefile", str(pdf), str(out)], check=True)
        return Image.open(f"{out}.png").convert("L")


def watermark(page: Image.Image, rng: np.random.Generator, params: dict) -> Image.Image:
    if rng.random() > 0.35:
        params["watermark"] = "none"
        return page
    w, h = page.size
    size = int(w * rng.uniform(0.14, 0.22))
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    font = ImageFont.truetype(FONT, size)
    # Over the top third (where the number is) or the middle of the page.
    y = h * rng.choice([0.12, 0.2, 0.45])
    draw.text((w * rng.uniform(0.05, 0.25), y), "SAMPLE", fill=255, font=font)
    layer = layer.rotate(rng.uniform(20, 40), resample=Image.BICUBIC, center=(w / 2, y + size / 2))
    shade = rng.uniform(0.12, 0.3)
    params["watermark"] = f"{shade:.2f}@{y / h:.2f}"
    ink = np.asarray(layer, dtype=np.float32) / 255.0 * shade
    arr = np.asarray(page, dtype=np.float32)
    return Image.fromarray(np.clip(arr * (1 - ink), 0, 255).astype(np.uint8))


def degrade(page: Image.Image, dpi: int, rng: np.random.Generator, fax: bool) -> tuple[Image.Image, dict]:
    params: dict = {"dpi": dpi}
    page = watermark(page, rng, params)
    skew = rng.uniform(-2.5, 2.5)
    params["skew"] = round(skew, 2)
    page = page.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    arr = np.asarray(page, dtype=np.float32)
    toner = rng.uniform(0.45, 1.0) if rng.random() < 0.5 else rng.uniform(0.9, 1.0)
    paper = rng.uniform(205, 250)
    params["toner"], params["paper"] = round(toner, 2), int(paper)
    arr = paper - (255.0 - arr) * toner * paper / 255.0
    # A fax's own thresholding already costs the strokes; it is sharper than a grey scan.
    blur = rng.uniform(0.0, 0.6 if fax else 1.1)
    params["blur"] = round(blur, 2)
    if blur > 0.05:
        arr = ndimage.gaussian_filter(arr, blur)
    noise = rng.uniform(0, 10)
    params["noise"] = round(noise, 1)
    arr = arr + rng.normal(0, noise, arr.shape)
    arr = np.clip(arr, 0, 255)
    if fax:
        # Between the paper and the ink as printed: a fax machine sets its threshold on the page.
        ink = paper * (1 - toner)
        threshold = paper - (paper - ink) * rng.uniform(0.3, 0.55)
        params["threshold"] = int(threshold)
        bw = arr > threshold
        speckle = rng.uniform(0, 0.004)
        params["speckle"] = round(speckle, 4)
        flip = rng.random(bw.shape) < speckle
        bw = np.where(flip, ~bw, bw)
        return Image.fromarray((bw * 255).astype(np.uint8)).convert("1"), params
    return Image.fromarray(arr.astype(np.uint8)), params


def jpeg(page: Image.Image, rng: np.random.Generator, params: dict) -> Image.Image:
    quality = int(rng.integers(40, 71))
    params["jpeg"] = quality
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("L")


def one_page(source: Path, rng: np.random.Generator) -> tuple[Image.Image, dict, bool]:
    fax = rng.random() < 0.35
    dpi = int(rng.choice([100, 150, 200]) if fax else rng.choice([150, 200, 240, 300]))
    page, params = degrade(render(source, dpi), dpi, rng, fax)
    if not fax:
        page = jpeg(page, rng, params)
    params["kind"] = "fax" if fax else "grey"
    return page, params, fax


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    args = parser.parse_args()
    rng = np.random.default_rng([args.seed, 0x5CA7])
    pool = sources(args.samples)
    order = list(rng.permutation(len(pool)))
    def next_source():
        if not order:
            order.extend(rng.permutation(len(pool)))
        return pool[order.pop()]
    args.out.mkdir(parents=True, exist_ok=True)
    truth = []
    fields = ["file", "page", "receipt_number", "category", "source", "kind", "dpi", "skew",
              "toner", "paper", "blur", "noise", "threshold", "speckle", "jpeg", "watermark"]
    for i in range(1, args.count + 1):
        source, number = next_source()
        page, params, _ = one_page(source, rng)
        name = f"scan-{i:03}.pdf"
        page.save(args.out / name, "PDF", resolution=params["dpi"])
        truth.append({"file": name, "page": 1, "receipt_number": number, "category": "scan",
                      "source": source.name, **params})
    for i in range(1, args.count + 1):
        pages, rows = [], []
        for k in range(int(rng.integers(3, 6))):
            if k > 0 and rng.random() < 0.2:
                blank = Image.new("L", pages[-1].size, int(rng.uniform(225, 250)))
                pages.append(jpeg(blank, rng, {}))
                continue
            source, number = next_source()
            page, params, _ = one_page(source, rng)
            pages.append(page.convert("L"))
            rows.append((len(pages), number, source.name, params))
        name = f"stack-{i:03}.pdf"
        pages[0].save(args.out / name, "PDF", save_all=True, append_images=pages[1:], resolution=200)
        for page_no, number, source_name, params in rows:
            truth.append({"file": name, "page": page_no, "receipt_number": number,
                          "category": "stack", "source": source_name, **params})
    for i in range(1, args.count + 1):
        source, number = next_source()
        page, params, fax = one_page(source, rng)
        if fax:
            name = f"image-{i:03}.tif"
            page.save(args.out / name, "TIFF", compression="group4", dpi=(params["dpi"],) * 2)
        elif rng.random() < 0.5:
            name = f"image-{i:03}.jpg"
            page.save(args.out / name, "JPEG", quality=params["jpeg"])
        else:
            name = f"image-{i:03}.png"
            page.save(args.out / name, "PNG")
        truth.append({"file": name, "page": 1, "receipt_number": number, "category": "image",
                      "source": source.name, **params})
    with (args.out / "truth.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in truth:
            writer.writerow({k: row.get(k, "") for k in fields})
    print(f"{len(truth)} numbers in {3 * args.count} files -> {args.out}")


if __name__ == "__main__":
    main()
