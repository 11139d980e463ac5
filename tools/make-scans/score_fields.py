#!/usr/bin/env python3
"""Score the fields beside the number: an `i797 scan DIR -o OUT.csv` run against the truth of a set
made by make_scans.py or make_photos.py, whose pages are renderings of `samples/text` notices.

    score_fields.py TRUTH.csv OUT.csv [--expected samples/expected.csv]

A page's expected fields are those of its source's row in samples/expected.csv (page 1, the same
number). Only pages whose number was read are scored (recall is score.py's job). Per field and
category: right, missed (left empty), wrong (another value) and of the wrong ones how many were
on a row flagged needs_review. A field the source leaves empty and the run fills is `extra`.
Exit status 0 always (a report, not a test).
"""
import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

FIELDS = ["number_kind", "service_center", "form", "notice_type", "case_type", "received_date",
          "notice_date", "priority_date", "valid_from", "valid_until", "a_number",
          "account_number", "applicant", "beneficiary", "linked_receipt", "invoice_id"]

ap = argparse.ArgumentParser()
ap.add_argument("truth")
ap.add_argument("out")
ap.add_argument("--expected", default=str(Path(__file__).resolve().parents[2] / "samples/expected.csv"))
ap.add_argument("-v", "--verbose", action="store_true", help="print every wrong or missed field")
a = ap.parse_args()

expected = {}
for row in csv.DictReader(open(a.expected, encoding="utf-8")):
    if row["page"] == "1" and row["status"] == "ok":
        expected[(Path(row["file"]).name, row["receipt_number"])] = row
got = defaultdict(list)
for row in csv.DictReader(open(a.out, encoding="utf-8")):
    if row["status"] == "ok":
        got[(Path(row["file"]).name, row["page"], row["receipt_number"])].append(row)

counts = defaultdict(Counter)  # (category, field) -> outcome counts
for t in csv.DictReader(open(a.truth, encoding="utf-8")):
    file = t.get("file") or t.get("photo")
    category = t.get("category") or "photo"
    want = expected.get((Path(t["source"]).name, t["receipt_number"]))
    rows = got.get((file, t["page"], t["receipt_number"]))
    if want is None or not rows:
        continue
    row = rows[0]
    for field in FIELDS:
        w, g = want[field], row[field]
        if w == g:
            outcome = "right" if w else None
        elif not w:
            outcome = "extra"
        elif not g:
            outcome = "missed"
        else:
            outcome = "wrong-flagged" if row["needs_review"] == "true" else "wrong"
        if outcome is None:
            continue
        if a.verbose and outcome != "right":
            print(f"  {outcome:13} {file} p{t['page']} {field}: want {w!r} got {g!r}")
        for key in (category, "all"):
            counts[(key, field)][outcome] += 1

outcomes = ["right", "missed", "wrong", "wrong-flagged", "extra"]
for category in sorted({c for c, _ in counts}, key=lambda c: (c == "all", c)):
    print(f"{category}")
    print(f"  {'field':16}{'n':>5} " + " ".join(f"{o:>13}" for o in outcomes) + "   right")
    for field in FIELDS:
        c = counts.get((category, field))
        if not c:
            continue
        n = c["right"] + c["missed"] + c["wrong"] + c["wrong-flagged"]
        share = c["right"] / n if n else 1.0
        print(f"  {field:16}{n:>5} " + " ".join(f"{c[o]:>13}" for o in outcomes) + f"   {share:6.1%}")
