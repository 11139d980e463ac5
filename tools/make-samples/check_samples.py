#!/usr/bin/env python3
"""Checks the generated samples against expected.csv with independent tools (not i797):

- every PDF opens (`pdfinfo`), and its page count covers the expected pages;
- text-layer rows: `pdftotext -layout` of the page holds the number and the names;
- OCR rows: the page has no text layer, and plain `tesseract` (psm 3) on the page picture reads
  the number (photos: after honouring EXIF orientation; no perspective correction, so a miss
  there is reported, not failed);
- the sha256 column matches the files.

Usage: python tools/make-samples/check_samples.py   (needs poppler-utils and tesseract on PATH)
"""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"


def run(args: list[str]) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout


def squash(s: str) -> str:
    return re.sub(r"[\s\-]", "", s).upper()


def page_picture(path: Path, page: int, tmp: Path) -> Path:
    """The page as a PNG, the way a viewer would show it (PDF /Rotate and EXIF applied)."""
    out = tmp / "page.png"
    if path.suffix.lower() == ".pdf":
        run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
             str(path), str(tmp / "page")])
        return out
    im = Image.open(path)
    if getattr(im, "n_frames", 1) > 1:
        im.seek(page - 1)
    im = ImageOps.exif_transpose(im).convert("L")
    im.save(out)
    return out


def main() -> int:
    rows = list(csv.DictReader((SAMPLES / "expected.csv").open(encoding="utf-8")))
    failures, misses = [], []
    seen_hash: dict[str, str] = {}
    for row in rows:
        rel = row["file"].removeprefix("samples/")
        path = SAMPLES / rel
        digest = seen_hash.setdefault(rel, hashlib.sha256(path.read_bytes()).hexdigest())
        if digest != row["sha256"]:
            failures.append(f"{rel}: sha256 differs")
        if path.suffix.lower() == ".pdf":
            info = run(["pdfinfo", str(path)])
            m = re.search(r"Pages:\s+(\d+)", info)
            if not m:
                failures.append(f"{rel}: pdfinfo cannot read it")
                continue
            if row["page"] and int(row["page"]) > int(m.group(1)):
                failures.append(f"{rel}: page {row['page']} beyond {m.group(1)}")
        if row["status"] != "ok":
            continue
        page = int(row["page"])
        number = row["receipt_number"]
        layer = ""
        if path.suffix.lower() == ".pdf":
            layer = run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"])
        if row["text_source"] == "pdf_text":
            missing = [v for v in (row["applicant"], row["beneficiary"]) if v and v not in layer]
            if number not in squash(layer) or missing:
                failures.append(f"{rel} p{page}: text layer lacks {number} {missing}")
            continue
        if layer.strip():
            failures.append(f"{rel} p{page}: OCR row but the page has a text layer")
        with tempfile.TemporaryDirectory() as tmp:
            pic = page_picture(path, page, Path(tmp))
            text = run(["tesseract", str(pic), "-", "--psm", "3"])
        found = number in squash(text)
        line = f"{'read' if found else 'MISS'}  {rel} p{page} {number}"
        print(line)
        if not found:
            misses.append(line)
    print(f"\n{len(rows)} rows; {len(failures)} failures; {len(misses)} OCR misses with plain tesseract")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
