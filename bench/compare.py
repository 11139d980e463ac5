#!/usr/bin/env python3
"""Speed and recall of `i797 scan` against the pipeline a user could script in an afternoon.

Builds a corpus of a few hundred pages from samples/ (renamed copies of the scanned notices and of
the text-layer PDFs), then runs, one after the other on the same machine:

  i797       `i797 scan --jobs J` (and `--jobs 1` on the scans, for the scaling ratio);
  naive      per file, 2 at a time with xargs -P: `pdftotext` for PDFs with a text layer,
             `pdftoppm -r 300 -gray` + `tesseract` per page for scanned PDFs (OMP_THREAD_LIMIT=1,
             as a careful user would set it), `tesseract` straight on image files; then a regex for
             3 letters + 10 digits (dashes and spaces allowed) over the text.

For each it prints pages/s, files/s, receipt-number recall and precision against samples/expected.csv,
and peak memory (maximum resident set of the largest process: for i797 the whole run, for the naive
pipeline one tool at a time), then the ratios. Absolute times drift on shared machines; compare
the ratios, which are measured in the same run.

Usage: bench/compare.py [--copies N] [--jobs J] [--skip-naive]   (needs: scripts/setup --bench)
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SCANNED_FOLDERS = ["scans", "images", "stacks", "photos"]
TEXT_FOLDERS = ["text"]

NAIVE_PER_FILE = r'''
f="$1"; out="$2/$(echo "$f" | sha1sum | cut -c1-16).txt"
case "$(file -b --mime-type "$f")" in
  application/pdf)
    pdftotext -layout "$f" "$out.layer" 2>/dev/null
    if [ "$(tr -d '[:space:]' < "$out.layer" | wc -c)" -gt 200 ]; then
      mv "$out.layer" "$out"
    else
      d=$(mktemp -d); pdftoppm -r 300 -gray -png "$f" "$d/p" 2>/dev/null
      for p in "$d"/p*.png; do tesseract "$p" - 2>/dev/null; done > "$out"; rm -rf "$d" "$out.layer"
    fi ;;
  image/*) tesseract "$f" - 2>/dev/null > "$out" ;;
esac
printf '%s\t' "$f" >> "$out.name"
'''
NAIVE_REGEX = re.compile(r"\b([A-Z]{3})[- ]?(\d{2})[- ]?(\d{3})[- ]?(\d{5})\b")


def expected_numbers():
    """samples/expected.csv as {sample path: set of receipt numbers}."""
    numbers = defaultdict(set)
    with open(SAMPLES / "expected.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] == "ok":
                numbers[row["file"]].add(row["receipt_number"])
    return numbers


def page_count(path):
    if path.suffix.lower() == ".pdf":
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        match = re.search(r"^Pages:\s+(\d+)", out, re.M)
        return int(match.group(1)) if match else 1
    if path.suffix.lower() in (".tif", ".tiff"):
        out = subprocess.run(["identify", str(path)], capture_output=True, text=True).stdout
        return max(1, len(out.splitlines()))
    return 1


def build_corpus(dest, folders, copies, expected):
    """Copies every sample in `folders` `copies` times; returns {corpus path: numbers}, pages."""
    truth, pages = {}, 0
    for folder in folders:
        for sample in sorted((SAMPLES / folder).iterdir()):
            if not sample.is_file():
                continue
            count = page_count(sample)
            for n in range(copies):
                target = dest / folder / f"copy{n:02d}" / sample.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(sample, target)
                truth[str(target)] = expected.get(f"samples/{folder}/{sample.name}", set())
                pages += count
    return truth, pages


def timed(command, env=None):
    """Runs `command` under /usr/bin/time; returns (seconds, peak RSS in MiB, stdout)."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.monotonic()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
                                capture_output=True, text=True, env=env)
        seconds = time.monotonic() - start
        peak_kib = int(report.read().strip().splitlines()[-1])
    if result.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return seconds, peak_kib / 1024, result.stdout


def score(found, truth):
    """Recall and precision of {file: numbers found} against {file: numbers expected}."""
    expected = {(f, n) for f, ns in truth.items() for n in ns}
    got = {(f, n) for f, ns in found.items() for n in ns}
    hits = len(expected & got)
    return hits / max(1, len(expected)), hits / max(1, len(got)), len(expected), len(got)


def run_i797(binary, corpus, jobs):
    # --no-store: the copies of a sample have the same bytes, and a store would hand them over unread.
    seconds, peak, out = timed([str(binary), "scan", str(corpus), "--jobs", str(jobs), "--quiet", "--no-store"])
    found = defaultdict(set)
    for row in csv.DictReader(out.splitlines()):
        if row["status"] == "ok":
            found[row["file"]].add(row["receipt_number"])
    return seconds, peak, found


def run_naive(corpus, jobs):
    work = Path(tempfile.mkdtemp(prefix="naive-"))
    script = work / "one.sh"
    script.write_text(NAIVE_PER_FILE)
    files = work / "files.lst"
    files.write_text("\0".join(str(p) for p in sorted(corpus.rglob("*")) if p.is_file()))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    seconds, peak, _ = timed(["sh", "-c", f"xargs -0 -P {jobs} -a {files} -I{{}} sh {script} {{}} {work}"],
                             env=env)
    found = defaultdict(set)
    for text_file in work.glob("*.txt"):
        name = Path(str(text_file) + ".name").read_text().rstrip("\t")
        text = text_file.read_text(errors="replace")
        found[name] |= {"".join(m.groups()) for m in NAIVE_REGEX.finditer(text)}
    shutil.rmtree(work)
    return seconds, peak, found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4, help="copies of each sample (default 4)")
    parser.add_argument("--text-copies", type=int, default=40, help="copies of each text PDF (default 40)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "i797"
    expected = expected_numbers()
    corpus_root = Path(tempfile.mkdtemp(prefix="i797-bench-"))
    results = []
    try:
        for name, folders, copies in (("scans", SCANNED_FOLDERS, args.copies),
                                      ("text PDFs", TEXT_FOLDERS, args.text_copies)):
            corpus = corpus_root / name.split()[0]
            truth, pages = build_corpus(corpus, folders, copies, expected)
            files = len(truth)
            print(f"\n== {name}: {files} files, {pages} pages ({copies} copies of each sample)", flush=True)
            runs = [("i797 --jobs %d" % args.jobs, lambda: run_i797(binary, corpus, args.jobs))]
            if name == "scans" and args.jobs > 1:
                runs.append(("i797 --jobs 1", lambda: run_i797(binary, corpus, 1)))
            if not args.skip_naive:
                runs.append(("naive -P %d" % args.jobs, lambda: run_naive(corpus, args.jobs)))
            measured = {}
            print(f"{'pipeline':<16}{'pages/s':>9}{'files/s':>9}{'recall':>8}{'precision':>10}{'peak MiB':>10}")
            for label, run in runs:
                seconds, peak, found = run()
                recall, precision, _, _ = score(found, truth)
                measured[label] = (pages / seconds, files / seconds, recall, precision, peak)
                print(f"{label:<16}{pages / seconds:>9.2f}{files / seconds:>9.1f}{recall:>8.1%}{precision:>10.1%}{peak:>10.0f}",
                      flush=True)
            results.append((name, measured))
        print("\n== ratios (same run, same machine)")
        for name, measured in results:
            ours = measured["i797 --jobs %d" % args.jobs]
            naive = measured.get("naive -P %d" % args.jobs)
            if naive:
                print(f"{name}: i797/naive pages/s {ours[0] / naive[0]:.1f}x, files/s {ours[1] / naive[1]:.1f}x, "
                      f"recall {ours[2]:.1%} vs {naive[2]:.1%}")
            single = measured.get("i797 --jobs 1")
            if single:
                print(f"{name}: --jobs {args.jobs} / --jobs 1 pages/s {ours[0] / single[0]:.2f}x")
    finally:
        shutil.rmtree(corpus_root)


if __name__ == "__main__":
    main()
