"""The `duplicate_of` column of expected rows: the rule i797 documents (README, "Duplicates"),
written again from the ground truth, not from i797's output.

Rows must be in output order (by path bytes, then page). A row of a file with the same bytes as a
file earlier names that file; otherwise an `ok` row with the same number, notice type and notice
date (number and date present) as an earlier `ok` row names it as FILE#PAGE.

Run as a script to set the column of an existing expected.csv (the samples themselves unchanged):
    python3 tools/make-samples/duplicates.py samples/expected.csv
"""

import csv
import sys
from pathlib import Path


def mark_duplicates(rows: list[dict[str, str]]) -> None:
    first_file_with_hash: dict[str, str] = {}
    first_row_of_notice: dict[tuple[str, str, str], str] = {}
    for row in rows:
        digest = row["sha256"]
        first = first_file_with_hash.setdefault(digest, row["file"]) if digest else row["file"]
        if first != row["file"]:
            row["duplicate_of"] = first
            continue
        row["duplicate_of"] = ""
        if row["status"] != "ok" or not row["receipt_number"] or not row["notice_date"]:
            continue
        key = (row["receipt_number"], row["notice_type"], row["notice_date"])
        here = f"{row['file']}#{row['page']}"
        earlier = first_row_of_notice.setdefault(key, here)
        if earlier != here:
            row["duplicate_of"] = earlier


def main(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = reader.fieldnames
        rows = list(reader)
    mark_duplicates(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
