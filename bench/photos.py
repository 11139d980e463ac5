#!/usr/bin/env python3
"""Speed and recall on phone photos: `i797 scan` against the plain pipeline, in one run.

A photo set made by tools/make-photos (a folder of JPEG/HEIC files with truth.csv) is read by:

  i797    `i797 scan SET --jobs J -o out.csv`
  naive   `tesseract PHOTO -` on every JPEG, J at a time (xargs -P, OMP_THREAD_LIMIT=1), then one
          regex for 3 letters + 10 digits (dashes and spaces allowed) over the text.

Prints wall time, photos/s, recall (the expected number found) and wrong numbers (a number found
that is not the expected one; i797's are split by whether the row asked for review), and the
ratio of the two speeds. Absolute times drift on shared machines; the ratio is measured in the
same run.

Usage: bench/photos.py SET [--jobs J] [--i797 PATH]   (needs tesseract-ocr: scripts/setup --bench)
"""
import argparse
import csv
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\b([A-Z]{3})[- ]?(\d{2})[- ]?(\d{3})[- ]?(\d{5})\b")


def truth(folder):
    with open(folder / "truth.csv", newline="") as f:
        return {row["photo"]: row["receipt_number"] for row in csv.DictReader(f)}


def run_i797(binary, folder, jobs, out):
    started = time.monotonic()
    subprocess.run([binary, "scan", str(folder), "--jobs", str(jobs), "-o", str(out), "-q", "--no-store"],
                   check=False, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    found = {}
    with open(out, newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] == "ok":
                found.setdefault(Path(row["file"]).name, []).append(
                    (row["receipt_number"], row["needs_review"] == "true"))
    return elapsed, found


def run_naive(folder, jobs, photos):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as out:
        script = 'tesseract "$1" - 2>/dev/null > "$2/$(basename "$1").txt"'
        started = time.monotonic()
        subprocess.run(["xargs", "-0", "-P", str(jobs), "-I{}", "sh", "-c", script, "_", "{}", out],
                       input="\0".join(str(folder / p) for p in photos), text=True, env=env,
                       check=False)
        elapsed = time.monotonic() - started
        found = {}
        for photo in photos:
            text = (Path(out) / f"{photo}.txt").read_text(errors="replace")
            found[photo] = [("".join(m.groups()), False) for m in NUMBER.finditer(text)]
    return elapsed, found


def score(expected, found):
    right = wrong = flagged_wrong = 0
    for photo, number in expected.items():
        numbers = found.get(photo, [])
        right += any(n == number for n, _ in numbers)
        wrong += any(n != number and not flagged for n, flagged in numbers)
        flagged_wrong += any(n != number and flagged for n, flagged in numbers)
    return right, wrong, flagged_wrong


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("set", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--i797", default=str(ROOT / "target/release/i797"))
    args = parser.parse_args()
    expected = truth(args.set)
    jpegs = sorted(p for p in expected if p.endswith(".jpg"))
    with tempfile.TemporaryDirectory() as tmp:
        i797_time, i797_found = run_i797(args.i797, args.set, args.jobs, Path(tmp) / "out.csv")
    naive_time, naive_found = run_naive(args.set, args.jobs, jpegs)
    print(f"== {args.set}: {len(expected)} photos ({len(jpegs)} JPEG), --jobs {args.jobs}")
    print(f"{'pipeline':10} {'wall s':>8} {'photos/s':>9} {'right':>7} {'wrong':>6} {'wrong, flagged':>15}")
    for name, elapsed, found, photos in [
        ("i797", i797_time, i797_found, expected),
        ("naive", naive_time, naive_found, {p: expected[p] for p in jpegs}),
    ]:
        right, wrong, flagged_wrong = score(photos, found)
        print(f"{name:10} {elapsed:8.1f} {len(photos) / elapsed:9.2f} {right:>4}/{len(photos):<2}"
              f" {wrong:>6} {flagged_wrong:>15}")
    per_photo_i797 = i797_time / len(expected)
    per_photo_naive = naive_time / len(jpegs)
    print(f"== i797/naive photos/s: {per_photo_naive / per_photo_i797:.2f}x")


if __name__ == "__main__":
    main()
