#!/usr/bin/env python3
"""Score an `i797 scan DIR -o OUT.csv` run against make_scans.py's DIR/truth.csv, per category.

    score.py TRUTH.csv OUT.csv

Per expected (file, page): right (the number in an ok row, needs_review not true), flagged-right
(the number, needs_review true), wrong (an ok row on that page with another number and
needs_review not true: the worst outcome), wrong-but-flagged, missed. Also: ok rows flagged, of
all ok rows. Exit status 0 always (a report, not a test).
"""
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

truth = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
rows = defaultdict(list)
ok_rows = flagged_rows = 0
for row in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    rows[(Path(row["file"]).name, row["page"])].append(row)
    if row["status"] == "ok":
        ok_rows += 1
        flagged_rows += row["needs_review"] == "true"
outcomes = ["right", "flagged-right", "wrong", "wrong-but-flagged", "missed"]
by_category = defaultdict(Counter)
for t in truth:
    got = [r for r in rows[(t["file"], t["page"])] if r["status"] == "ok"]
    same = [r for r in got if r["receipt_number"] == t["receipt_number"]]
    other = [r for r in got if r["receipt_number"] != t["receipt_number"]]
    if any(r["needs_review"] != "true" for r in other):
        outcome = "wrong"
    elif any(r["needs_review"] != "true" for r in same):
        outcome = "right"
    elif same:
        outcome = "flagged-right"
    elif other:
        outcome = "wrong-but-flagged"
    else:
        outcome = "missed"
    for key in (t["category"], f"{t['category']}/{t['kind']}", "all"):
        by_category[key][outcome] += 1
    if outcome not in ("right", "flagged-right"):
        print(f"  {outcome:18} {t['file']} p{t['page']} expected {t['receipt_number']} got "
              f"{[(r['status'], r['receipt_number'], r['message'][:60]) for r in rows[(t['file'], t['page'])]]}")
print(f"{'':14}{'n':>4} " + " ".join(f"{o:>17}" for o in outcomes) + "   recall")
for key in sorted(by_category, key=lambda k: (k == "all", k)):
    c = by_category[key]
    n = sum(c.values())
    recall = (c["right"] + c["flagged-right"]) / n
    print(f"{key:14}{n:>4} " + " ".join(f"{c[o]:>17}" for o in outcomes) + f"   {recall:6.1%}")
print(f"ok rows flagged needs_review: {flagged_rows} of {ok_rows}"
      f" ({flagged_rows / max(ok_rows, 1):.1%})")
