#!/usr/bin/env python3
"""What the store saves: a full run over a folder against a re-run after one file was added.

Builds a folder from samples/: the text-layer PDFs copied --text-copies times and the scanned
samples (scans, stacks) --scan-copies times, every copy made unique (a PDF comment after its end,
which readers ignore), so that no file is found in the store on the first run because a
byte-identical copy was read just before it. Then, with a release build, one after the other:

  full       `i797 scan FOLDER --no-store`: every file read;
  first      `i797 scan FOLDER --store S` with S empty: every file read and stored;
  again      the same with nothing changed: every file from the store;
  +1 text    after one new text PDF is added: one file read, the rest from the store;
  +1 scan    after one new scanned PDF is added: the same with a file that needs OCR.

Each re-run's output is checked to hold one more file than the run before it. It prints the
seconds of each run and the ratio of the full run to each re-run. Absolute times drift on shared
machines; the ratios are measured in the same run.

Usage: bench/store.py [--text-copies N] [--scan-copies N] [--jobs J]
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def unique_copy(sample, target, n):
    """Copies a PDF with a comment after its end, so that each copy has bytes of its own."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(sample.read_bytes() + f"\n% i797 bench copy {n}\n".encode())


def build_folder(dest, text_copies, scan_copies):
    """The folder to scan; returns how many files it holds."""
    count = 0
    for folder, copies in [("text", text_copies), ("scans", scan_copies), ("stacks", scan_copies)]:
        for sample in sorted((SAMPLES / folder).glob("*.pdf")):
            for n in range(copies):
                unique_copy(sample, dest / folder / f"copy{n:03d}" / sample.name, n)
                count += 1
    return count


def scan(binary, folder, jobs, store):
    """Runs a scan; returns (seconds, files in the output, the summary line)."""
    store_args = ["--no-store"] if store is None else ["--store", str(store)]
    command = [str(binary), "scan", str(folder), "--jobs", str(jobs), "--quiet"] + store_args
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if result.returncode not in (0, 1):
        sys.exit(f"i797 failed ({result.returncode}): {result.stderr[-2000:]}")
    files = {row["file"] for row in csv.DictReader(result.stdout.splitlines())}
    summary = [line for line in result.stderr.splitlines() if line.startswith("i797: ")][-1]
    return seconds, len(files), summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text-copies", type=int, default=35, help="copies of each text PDF (default 35)")
    parser.add_argument("--scan-copies", type=int, default=1, help="copies of each scanned PDF (default 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "i797"
    work = Path(tempfile.mkdtemp(prefix="i797-store-bench-"))
    try:
        folder = work / "folder"
        store = work / "store"
        files = build_folder(folder, args.text_copies, args.scan_copies)
        print(f"== a folder of {files} files ({args.text_copies} copies of each text PDF, "
              f"{args.scan_copies} of each scanned PDF), --jobs {args.jobs}")
        runs = []

        def run(name, use_store, expect_files):
            seconds, got, summary = scan(binary, folder, args.jobs, store if use_store else None)
            if got != expect_files:
                sys.exit(f"{name}: {got} files in the output, expected {expect_files}")
            runs.append((name, seconds, summary))

        run("full (--no-store)", False, files)
        run("first (empty store)", True, files)
        run("again (no change)", True, files)
        unique_copy(SAMPLES / "text" / "i797c-receipt-i130-eac.pdf", folder / "new" / "text.pdf", 10_000)
        run("+1 text PDF", True, files + 1)
        scanned = sorted((SAMPLES / "scans").glob("*.pdf"))[0]
        unique_copy(scanned, folder / "new" / "scan.pdf", 10_000)
        run("+1 scanned PDF", True, files + 2)
        full = runs[0][1]
        print(f"{'run':<22}{'seconds':>9}{'full/this':>11}  summary")
        for name, seconds, summary in runs:
            print(f"{name:<22}{seconds:>9.2f}{full / seconds:>10.1f}x  {summary.split(';')[0]}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
