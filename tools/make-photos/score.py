#!/usr/bin/env python3
"""Score an `i797 scan DIR -o OUTPUT.csv` run against make_photos.py's DIR/truth.csv.

    score.py TRUTH.csv OUTPUT.csv [--list]

Per photo, from the output rows whose `file` has the photo's name (any folder):
  wrong              an ok row with a number other than the expected one, needs_review not true
                     (the worst outcome: counted even if the right number is also there)
  right              the expected number in an ok row with needs_review not true
  flagged-right      the expected number in an ok row, but needs_review=true
  wrong-but-flagged  only other numbers, every one with needs_review=true
  missed             no ok row with a number (error, no_notice, no rows at all)
Prints the totals and a breakdown by background kind, turn, tilt bucket, fill bucket, JPEG
quality bucket and blur bucket. Exit status 0 always (it is a report, not a test).
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter, defaultdict

OUTCOMES = ["right", "flagged-right", "wrong", "wrong-but-flagged", "missed"]


def norm(n: str) -> str:
    return "".join(ch for ch in n.upper() if ch.isalnum() or ch == "*")


def classify(expected: str, rows: list[dict]) -> tuple[str, str]:
    exp = norm(expected)
    ok = [r for r in rows if r.get("status", "") == "ok" and norm(r.get("receipt_number", ""))]
    flagged = lambda r: r.get("needs_review", "").strip().lower() == "true"
    right = [r for r in ok if norm(r["receipt_number"]) == exp]
    other = [r for r in ok if norm(r["receipt_number"]) != exp]
    got = ";".join(sorted({norm(r["receipt_number"]) for r in ok}))
    if any(not flagged(r) for r in other):
        return "wrong", got
    if any(not flagged(r) for r in right):
        return "right", got
    if right:
        return "flagged-right", got
    if other:
        return "wrong-but-flagged", got
    msgs = ";".join(sorted({(r.get("status", "") + ":" + r.get("message", ""))[:80] for r in rows}))
    return "missed", msgs or "no rows"


def bucket(name: str, t: dict) -> str:
    try:
        if name == "tilt":
            a = abs(float(t["tilt_deg"]))
            return "3-6" if a < 6 else "6-9" if a < 9 else "9-12"
        if name == "fill":
            f = float(t["fill"])
            return "<0.55" if f < 0.55 else "0.55-0.65" if f < 0.65 else "0.65-0.75" if f < 0.75 else ">=0.75"
        if name == "jpeg":
            q = int(t["jpeg_quality"])
            return "60-67" if q < 68 else "68-76" if q < 77 else "77-85"
        if name == "blur":
            b = float(t["blur_sigma"])
            return "0.5-0.9" if b < 0.9 else "0.9-1.3" if b < 1.3 else "1.3-1.6"
        if name == "keystone":
            k = float(t["keystone"])
            return "2-5%" if k < 0.05 else "5-8%" if k < 0.08 else "8-12%"
    except (KeyError, ValueError):
        return "?"
    return t.get(name, "?")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("truth")
    ap.add_argument("output")
    ap.add_argument("--list", action="store_true", help="print every photo's outcome, not only the failures")
    a = ap.parse_args(argv)

    with open(a.truth, newline="", encoding="utf-8") as f:
        truth = list(csv.DictReader(f))
    by_name = defaultdict(list)
    with open(a.output, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by_name[os.path.basename(r.get("file", ""))].append(r)

    results = []
    for t in truth:
        outcome, detail = classify(t["receipt_number"], by_name.get(t["photo"], []))
        results.append((t, outcome, detail))

    total = Counter(o for _, o, _ in results)
    n = len(results)
    print(f"{n} photos: " + ", ".join(f"{o} {total[o]}" for o in OUTCOMES))
    print()
    for t, o, d in results:
        if a.list or o != "right":
            print(f"  {o:18} {t['photo']:18} expected {t['receipt_number']:14} got {d}  "
                  f"[{t['background']}/{t.get('bg_variant', '')} turn {t['turn']} tilt {t['tilt_deg']} "
                  f"fill {t['fill']} q {t['jpeg_quality']} blur {t['blur_sigma']} {t.get('format', '')}]")
    print()
    dims = [("background", "background"), ("turn", "turn"), ("tilt", "tilt |deg|"), ("fill", "fill"),
            ("keystone", "keystone"), ("jpeg", "jpeg quality"), ("blur", "blur sigma"), ("format", "format")]
    hdr = f"{'':22}{'n':>4}" + "".join(f"{o:>18}" for o in OUTCOMES)
    for key, label in dims:
        groups = defaultdict(Counter)
        for t, o, _ in results:
            groups[bucket(key, t)][o] += 1
        print(f"by {label}")
        print(hdr)
        for g in sorted(groups, key=lambda g: (0, int(g), "") if g.isdigit() else (1, 0, g)):
            c = groups[g]
            print(f"  {g:20}{sum(c.values()):>4}" + "".join(f"{c[o]:>18}" for o in OUTCOMES))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
