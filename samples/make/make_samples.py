#!/usr/bin/env python3
"""Writes the i797 sample set (fake USCIS notices in every input form the tool reads) and
`samples/expected.csv`, the rows `i797 scan samples/` must produce, from the generator's own
ground truth.

Usage (from anywhere):  python samples/make/make_samples.py [--only text,other,...]
Needs: Python 3.11, requirements.txt, poppler-utils (pdftoppm) and ghostscript on PATH,
and the DejaVu fonts (fonts-dejavu-core). Deterministic: every random choice comes from a
generator seeded by the sample's name.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import catalog  # noqa: E402
import letters  # noqa: E402
from notice import Notice, draw_notice  # noqa: E402

SAMPLES = HERE.parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

COLUMNS = ["file", "page", "receipt_number", "number_kind", "service_center", "form", "notice_type",
           "case_type", "received_date", "notice_date", "priority_date", "valid_from", "valid_until",
           "a_number", "account_number", "applicant", "beneficiary", "text_source", "confidence",
           "needs_review", "status", "message", "sha256"]
NOTICE_FIELDS = COLUMNS[5:17]

OFFICES = {
    "EAC": "Vermont Service Center", "VSC": "Vermont Service Center",
    "WAC": "California Service Center", "CSC": "California Service Center",
    "LIN": "Nebraska Service Center", "NSC": "Nebraska Service Center",
    "SRC": "Texas Service Center", "TSC": "Texas Service Center",
    "MSC": "National Benefits Center", "NBC": "National Benefits Center",
    "IOE": "USCIS Electronic Immigration System (ELIS)", "YSC": "Potomac Service Center",
    "ZAR": "Arlington Asylum Office", "ZCH": "Chicago Asylum Office", "ZHN": "Houston Asylum Office",
    "ZLA": "Los Angeles Asylum Office", "ZMI": "Miami Asylum Office", "ZNK": "Newark Asylum Office",
    "ZNY": "New York Asylum Office", "ZSF": "San Francisco Asylum Office",
    "ZBO": "Boston Asylum Office", "ZOL": "New Orleans Asylum Office",
}
POSTS = {
    "BMB": "U.S. Consulate General Mumbai", "MDR": "U.S. Consulate General Chennai",
    "NWD": "U.S. Embassy New Delhi", "MNL": "U.S. Embassy Manila",
    "GUZ": "U.S. Consulate General Guangzhou", "CDJ": "U.S. Consulate General Ciudad Juarez",
    "HCM": "U.S. Consulate General Ho Chi Minh City", "JAK": "U.S. Embassy Jakarta",
}


class Expected:
    """Collects the expected rows; file hashes are filled in when the CSV is written."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self.described: list[tuple[str, str]] = []  # (file, what it exercises)

    def found(self, rel: str, page: int, fields: dict[str, str], source: str, kind: str = "uscis_receipt") -> None:
        number = fields["receipt_number"]
        office = POSTS.get(number[:3], "") if kind == "nvc_case" else OFFICES.get(number[:3], "")
        row = {c: "" for c in COLUMNS}
        row.update({k: fields.get(k, "") for k in NOTICE_FIELDS})
        row.update(file="samples/" + rel, page=str(page), receipt_number=number, number_kind=kind,
                   service_center=office, text_source=source, status="ok")
        if source == "pdf_text":
            row.update(confidence="100", needs_review="false")
        self.rows.append(row)

    def notice(self, rel: str, page: int, n: Notice, source: str) -> None:
        self.found(rel, page, n.expected(), source)

    def prose(self, rel: str, page: int, number: str, source: str) -> None:
        """A number named in running text: the number only, no notice fields."""
        self.found(rel, page, {"receipt_number": number}, source)

    def none(self, rel: str) -> None:
        row = {c: "" for c in COLUMNS}
        row.update(file="samples/" + rel, status="no_notice")
        self.rows.append(row)

    def describe(self, rel: str, text: str) -> None:
        self.described.append(("samples/" + rel, text))

    def write(self, path: Path) -> int:
        for row in self.rows:
            data = (SAMPLES / row["file"].removeprefix("samples/")).read_bytes()
            row["sha256"] = hashlib.sha256(data).hexdigest()
        # Byte order of the path, then page; rows of one page keep reading order (stable sort).
        rows = sorted(self.rows, key=lambda r: (r["file"].encode(), int(r["page"] or 0)))
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        return len(rows)


def out(rel: str) -> Path:
    p = SAMPLES / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def canvas(path: Path, title: str, creator: str = "USCIS Notice Print Service") -> Canvas:
    c = Canvas(str(path), pagesize=letter, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setCreator(creator)
    c.setProducer(creator)
    return c


def register_fonts() -> dict[str, str]:
    """DejaVu as an embedded TrueType subset: what a word processor's PDF export carries."""
    for name, file in [("DejaVuSans", "DejaVuSans.ttf"), ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
                       ("DejaVuSerif", "DejaVuSerif.ttf"), ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf")]:
        pdfmetrics.registerFont(TTFont(name, str(DEJAVU / file)))
    return {"Helvetica": "DejaVuSans", "Helvetica-Bold": "DejaVuSans-Bold"}


def text_notice(exp: Expected, rel: str, n: Notice, what: str, fonts: dict[str, str] | None = None) -> Path:
    path = out(rel)
    c = canvas(path, f"{n.form} {n.notice_type}")
    draw_notice(c, n, fonts=fonts)
    c.save()
    exp.notice(rel, 1, n, "pdf_text")
    exp.describe(rel, what)
    return path


def office_printer(src: Path, dst: Path) -> None:
    """Re-distils a PDF through Ghostscript's pdfwrite, as an office "print to PDF" does:
    subset Type 1C fonts, rewritten content streams. Dates and /ID are left out so the bytes are
    stable."""
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    "-dPDFSETTINGS=/prepress", "-dEmbedAllFonts=true", "-dSubsetFonts=true",
                    "-dOmitInfoDate=true", "-dOmitXMP=true", "-dOmitID=true",
                    f"-sOutputFile={dst}", str(src)], check=True)


# --- pass 1: text-layer PDFs, NVC letter, distractors -----------------------------------------


def make_text(exp: Expected) -> None:
    T = "text/"
    text_notice(exp, T + "i797c-receipt-i130-eac.pdf", catalog.i797c_receipt_i130_eac(),
                "I-797C receipt, I-130, EAC; petitioner + beneficiary (beneficiary A# `A012 345 678` style), c/o attorney")
    text_notice(exp, T + "i797c-receipt-i485-msc.pdf", catalog.i797c_receipt_i485_msc(),
                "I-797C receipt, I-485, MSC; priority date, A# `A# 012-345-678` style, USCIS Online Account Number")
    text_notice(exp, T + "i797c-receipt-n400-ioe.pdf", catalog.i797c_receipt_n400_ioe(),
                "I-797C receipt, N-400, IOE (online filing); 8-digit A-number printed `A12345678`; account number")
    text_notice(exp, T + "i797c-receipt-i765-nbc.pdf", catalog.i797c_receipt_i765_nbc(),
                "I-797C receipt, I-765, NBC; A# `A# 234 567 890` style; applicant only (no beneficiary box)")
    text_notice(exp, T + "i797c-receipt-i821d-src.pdf", catalog.i797c_receipt_i821d_src(),
                "I-797C receipt, I-821D (case type with a letter suffix), SRC; A-number `A-123-456-789`")
    text_notice(exp, T + "i797c-receipt-i751-wac.pdf", catalog.i797c_receipt_i751_wac(),
                "I-797C receipt, I-751, WAC; 48-month extension paragraph")
    text_notice(exp, T + "i797c-receipt-i129-wac-legacy.pdf", catalog.i797c_receipt_i129_wac_legacy(),
                "old (2006) layout: upper-case labels (RECEIPT NUMBER, RECEIPT DATE, NOTICE DATE, PAGE), no disclaimer, "
                "receipt number printed with dashes `WAC-06-...`, case type `I-129, PETITION FOR ...`, Courier values; company petitioner")
    text_notice(exp, T + "i797c-rejection-i131-nbc.pdf", catalog.i797c_rejection_i131_nbc(),
                "I-797C Rejection Notice, I-131, NBC")
    text_notice(exp, T + "i797c-transfer-i539-ysc.pdf", catalog.i797c_transfer_i539_ysc(),
                "I-797C Transfer Notice, I-539, YSC (Potomac); body names the California Service Center (the prefix decides service_center)")
    text_notice(exp, T + "i797c-biometrics-i485-msc-legacy.pdf", catalog.i797c_biometrics_i485_msc_legacy(),
                "I-797C ASC Appointment Notice in upper-case layout (`NOTICE TYPE: ASC APPOINTMENT NOTICE`), "
                "`DATE AND TIME OF APPOINTMENT` / `Wednesday, March 4, 2020`")
    text_notice(exp, T + "i797c-biometrics-i589-zar.pdf", catalog.i797c_biometrics_i589_zar(),
                "I-797C Biometrics Appointment Notice, I-589, asylum office ZAR (Arlington), 10 digits")
    text_notice(exp, T + "i797c-receipt-i589-zny-9digit.pdf", catalog.i797c_receipt_i589_zny_9digit(),
                "I-797C receipt, I-589, asylum office ZNY with 9 digits after the prefix (12 characters); A-number `A` + 9 digits")
    text_notice(exp, T + "i797c-interview-i485-msc.pdf", catalog.i797c_interview_i485_msc(),
                "I-797C interview notice (`Request for Applicant to Appear for Initial Interview`), I-485, MSC; "
                "field office address in the body and footer")
    text_notice(exp, T + "i797c-reopen-i485-nyc.pdf", catalog.i797c_reopen_i485_nyc(),
                "I-797C Re-open Notice with a field-office prefix (NYC): service_center empty")
    text_notice(exp, T + "i797-approval-i130-lin.pdf", catalog.i797_approval_i130_lin(),
                "I-797 Approval Notice, I-130, LIN; priority date; petitioner without A#, beneficiary A# `A-123-456-789` (a_number falls back to it)")
    text_notice(exp, T + "i797a-approval-i129-wac.pdf", catalog.i797a_approval_i129_wac(),
                "I-797A approval, I-129, Class H1B, `Valid from ... to ...`; I-94 tear-off at the bottom repeating the receipt "
                "number (same number, one row) with an I-94 number `#########A#` and a birth date")
    text_notice(exp, T + "i797b-approval-i129-eac.pdf", catalog.i797b_approval_i129_eac(),
                "I-797B approval (consular notification), I-129, Class H1B, validity dates")
    text_notice(exp, T + "i797-approval-i140-src.pdf", catalog.i797_approval_i140_src(),
                "I-797 approval, I-140, SRC; priority date; beneficiary A#")
    text_notice(exp, T + "i797d-approval-i765-ioe.pdf", catalog.i797d_approval_i765_ioe(),
                "I-797D (accompanies a card), I-765 approval, IOE; Class C09, validity dates, account number")
    text_notice(exp, T + "i797e-rfe-i129-vsc-2pages.pdf", catalog.i797e_rfe_i129_vsc(),
                "I-797E Request for Evidence, I-129, VSC prefix; 2 pages (`Page 1 of 2`); page 2 has no number, so no row")
    text_notice(exp, T + "i797c-premium-i129-lin.pdf", catalog.i797c_premium_i129_lin(),
                "I-797C Premium Processing Receipt Notice, I-129, LIN")
    text_notice(exp, T + "notice.PDF", catalog.receipt_i90_msc_upper_ext(),
                "upper-case extension `.PDF`; I-797C receipt, I-90, MSC")
    text_notice(exp, T + "Notificación de recibo – García.pdf", catalog.receipt_i130_garcia(),
                "file name with spaces, non-ASCII letters and an en dash; I-797C receipt, I-130, WAC")
    fonts = register_fonts()
    text_notice(exp, T + "i797c-receipt-i131-embedded-font.pdf", catalog.receipt_i131_embedded_font(),
                "text drawn in an embedded TrueType subset font (DejaVu Sans, with a ToUnicode map) "
                "instead of the standard Helvetica; I-797C receipt, I-131, EAC", fonts=fonts)
    # An "office printer" PDF: drawn, then re-distilled by Ghostscript.
    n = catalog.receipt_i130_printed()
    tmp = HERE / ".tmp-printed.pdf"
    c = canvas(tmp, "I-797C Receipt Notice")
    draw_notice(c, n)
    c.save()
    rel = T + "i797c-receipt-i130-office-printer.pdf"
    office_printer(tmp, out(rel))
    tmp.unlink()
    exp.notice(rel, 1, n, "pdf_text")
    exp.describe(rel, "printed to PDF through Ghostscript pdfwrite (subset Type 1C fonts, rewritten content); "
                 "I-797C receipt, I-130, IOE, account number, beneficiary A-number printed `A12345678`")

    # NVC Welcome Letter.
    import datetime as dt

    L = letters.nvc_letter("nvc-welcome-mnl", "MNL", dt.date(2020, 2, 16))
    rel = T + "nvc-welcome-letter-mnl.pdf"
    c = canvas(out(rel), "Welcome Letter", "NVC Correspondence")
    letters.draw_nvc_letter(c, L)
    c.save()
    exp.found(rel, 1, L.expected(), "pdf_text", kind="nvc_case")
    exp.describe(rel, "Department of State NVC Welcome Letter: `NVC Case Number: MNL2020...` (post + year + day-of-year+500 + "
                 "sequence), `Invoice ID Number` (9 digits), petitioner / beneficiary, priority date written `January 14, 2020`")


def make_other(exp: Expected) -> None:
    O = "other/"
    fonts_ok = "DejaVuSerif" in pdfmetrics.getRegisteredFontNames()
    if not fonts_ok:
        register_fonts()
    rel = O + "law-firm-cover-letter.pdf"
    c = canvas(out(rel), "Letter to client", "Writer")
    numbers = ("WAC2290112233", "EAC-22-904-55120")
    letters.draw_cover_letter(c, "DejaVuSerif", "DejaVuSerif-Bold", numbers)
    c.save()
    exp.prose(rel, 1, "WAC2290112233", "pdf_text")
    exp.prose(rel, 1, "EAC2290455120", "pdf_text")
    exp.describe(rel, "law firm cover letter (embedded serif font) naming two receipt numbers in running text, "
                 "one written with dashes (`EAC-22-904-55120`): two rows, number only, no notice fields")

    rel = O + "courier-invoice.pdf"
    c = canvas(out(rel), "Invoice INV2023004417", "Invoicing 3.1")
    letters.draw_invoice(c)
    c.save()
    exp.none(rel)
    exp.describe(rel, "invoice with `ORD1234567890` and `INV2023004417` (3 letters + 10 digits, unknown prefixes): no_notice")

    rel = O + "i94-record-printout.pdf"
    c = canvas(out(rel), "I-94 Official Website", "Chrome PDF Printer")
    letters.draw_i94_printout(c)
    c.save()
    exp.none(rel)
    exp.describe(rel, "browser printout of an I-94 record (I-94 number, dates, passport number): no_notice")


FOLDERS = {
    "text": "Born-digital PDFs with a text layer (as downloaded from a USCIS account or printed to PDF "
            "by an office). Expected `text_source` = `pdf_text`, `confidence` = 100, `needs_review` = false.",
    "other": "Not notices, or not only notices: distractors and letters that mention numbers in prose.",
    "scans": "Image-only PDFs made from fake notices rendered and degraded like scanner output, one per "
             "image encoding PDF uses for scans. Expected `text_source` = `ocr`.",
    "stacks": "Many notices in one PDF, as a mail room scans a pile: fronts, backs and blank pages.",
    "images": "Scans saved as image files (JPEG, PNG, TIFF, BMP, GIF, WebP, JPEG 2000).",
    "photos": "Phone photos (12 MP JPEG) of printed notices on a table.",
}


def write_readme(exp: Expected, n_rows: int) -> None:
    by_folder: dict[str, list[tuple[str, str]]] = {}
    for f, what in sorted(exp.described, key=lambda t: t[0].encode()):
        by_folder.setdefault(f.split("/")[1], []).append((f, what))
    parts = [README_HEAD.format(rows=n_rows, files=len(exp.described))]
    for folder, intro in FOLDERS.items():
        if folder not in by_folder:
            continue
        parts.append(f"\n### `samples/{folder}/` ({len(by_folder[folder])} files)\n\n{intro}\n\n")
        parts.append("| file | what it exercises |\n|---|---|\n")
        for f, what in by_folder[folder]:
            parts.append(f"| `{f.split('/', 2)[2]}` | {what} |\n")
    (SAMPLES / "README.md").write_text("".join(parts), encoding="utf-8")


README_HEAD = """# i797 samples

Fake USCIS I-797 notices (and a few other papers) in every input form `i797` reads, with the rows
the tool must produce in `expected.csv`.

**Everything here is invented.** Every person's name, every company and law firm, every street
address, receipt number, NVC case number, A-number, account number, I-94 number and passport
number was made up by the generator (`make/`). Office names (e.g. "Vermont Service Center") are the
real offices' names, but their street addresses and the phone numbers printed on the samples are
invented (telephone numbers use the fictional 555-01xx range). Any match with a real person or case
is a coincidence.

Regenerate everything with `python samples/make/make_samples.py` (see `make/README.md`). The
generator writes the samples *and* `expected.csv` from its own ground truth; it never runs i797.
Do not edit the samples or the CSV by hand: change the generator and re-run it.

## expected.csv: the contract

- {rows} rows for {files} sample files. Columns in the order of the tool's CSV. `file` is the path
  as `i797 scan samples/` shows it when run from the repository root. Rows are sorted by `file`
  (byte order), then by page; several numbers on one page keep reading order.
- One row per (file, page, number) with `status=ok`. Pages without a number (the back of a notice,
  a blank page, page 2 of a notice that does not repeat the number) have no row. A number printed
  twice on a page (the I-797A tear-off repeats it) is one row.
- `number_kind`: `uscis_receipt` or `nvc_case`. `service_center` comes from the prefix (service
  centers, ELIS, asylum offices, NVC posts); field-office prefixes (e.g. `NYC`) leave it empty.
- Notice fields are what the page prints, normalised: `form` like `I-797C`; `notice_type` in
  canonical capitalisation (`NOTICE TYPE: ASC APPOINTMENT NOTICE` is `ASC Appointment Notice`);
  `case_type` like `I-130` (from `I130 - PETITION ...` or `I-129, PETITION ...`); dates ISO
  `YYYY-MM-DD`; `account_number` 12 digits when printed; `applicant` / `beneficiary` exactly as
  printed in the boxes (`LAST, FIRST`, or a company name) — not the mailing-block form of the name.
- `a_number`: `A` + 9 digits. **Rule used: the applicant's/petitioner's A-number if one is printed,
  otherwise the beneficiary's**; empty when neither is printed.
- NVC Welcome Letter: number, kind and post; `applicant` = the petitioner, `beneficiary`, and
  `priority_date` (labelled); form, notice type, case type and notice date stay empty (the letter's
  date line carries no label).
- A number named only in running text (the law firm's letter) gets a row with the number, kind,
  service center and text source, and every notice field empty.
- Text-layer rows: `text_source=pdf_text`, `confidence=100`, `needs_review=false`. OCR rows:
  `text_source=ocr`, `confidence` and `needs_review` empty (the test does not compare them).
- A file without any number: one row, `page` empty, `status=no_notice`, `sha256` set (messages of
  these rows are not compared).
- `sha256`: lower-case hex SHA-256 of the file's bytes.
- Files that are not samples (`README.md`, `expected.csv`, everything under `make/`) have no rows;
  the tool reports them as `skipped`, and a test comparing against this file should leave them out.

## The samples
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.parse_args()
    for tool in ("gs", "pdftoppm"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found on PATH")
    for folder in ("text", "other", "scans", "images", "photos", "stacks"):
        shutil.rmtree(SAMPLES / folder, ignore_errors=True)
    exp = Expected()
    make_text(exp)
    make_other(exp)
    n = exp.write(SAMPLES / "expected.csv")
    write_readme(exp, n)
    print(f"{n} expected rows, {len(exp.described)} files")


if __name__ == "__main__":
    main()
