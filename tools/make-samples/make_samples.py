#!/usr/bin/env python3
"""Writes the i797 sample set (fake USCIS notices in every input form the tool reads) and
`samples/expected.csv`, the rows `i797 scan samples/` must produce, from the generator's own
ground truth.

Usage (from anywhere):  python tools/make-samples/make_samples.py [--only text,other,...]
Needs: Python 3.11, requirements.txt, poppler-utils (pdftoppm) and ghostscript on PATH,
and the DejaVu fonts (fonts-dejavu-core). Deterministic: every random choice comes from a
generator seeded by the sample's name.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import zlib
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

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import catalog  # noqa: E402
import fakedata as fd  # noqa: E402
import letters  # noqa: E402
import pdfimage as P  # noqa: E402
import raster  # noqa: E402
from duplicates import mark_duplicates  # noqa: E402
from notice import Notice, draw_notice  # noqa: E402

SAMPLES = HERE.parent.parent / "samples"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

COLUMNS = ["file", "page", "receipt_number", "number_kind", "service_center", "form", "notice_type",
           "case_type", "received_date", "notice_date", "priority_date", "valid_from", "valid_until",
           "a_number", "account_number", "applicant", "beneficiary", "text_source", "confidence",
           "needs_review", "status", "message", "sha256",
           "linked_receipt", "duplicate_of"]
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
        mark_duplicates(rows)
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
    text_notice(exp, T + "i797-approval-i129-eac-legacy-2pages.pdf", catalog.i797_approval_i129_legacy_2pages(),
                "old (2008) layout, 2 pages: `I-797, Notice of Action`, upper-case labels, `PAGE` `1 of 2`, "
                "`NOTICE TYPE: APPROVAL NOTICE`, Class H1B with validity dates, beneficiary A# `A# 012-345-678`; "
                "page 2 is general text without the number (no row)")
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
number was made up by the generator (`tools/make-samples/`). Office names (e.g. "Vermont Service Center") are the
real offices' names, but their street addresses and the phone numbers printed on the samples are
invented (telephone numbers use the fictional 555-01xx range). Any match with a real person or case
is a coincidence.

Regenerate everything with `python tools/make-samples/make_samples.py` (see `tools/make-samples/README.md`). The
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
- `duplicate_of`: i797's duplicate rule applied to these rows in this order (`tools/make-samples/duplicates.py`):
  the first file with the same bytes, else the first `ok` row (`FILE#PAGE`) with the same number, notice type
  and notice date. A photo and a text PDF of one notice are the same notice.
- Files that are not samples (`README.md`, `expected.csv`, the generator, which lives in `tools/make-samples/`) have no rows;
  the tool reports them as `skipped`, and a test comparing against this file should leave them out.

## The samples
"""


# --- pass 2: scans, stacks, image files, phone photos ---------------------------------------------


def np_rng(name: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(name.encode()))


def scanned(n: Notice, dpi: int, rng: np.random.Generator, **kw) -> list[Image.Image]:
    """Every page of a notice, rendered at `dpi` and degraded like a scanner's output."""
    return [raster.scan(pg, rng, **kw) for pg in raster.render(lambda c: draw_notice(c, n), dpi)]


def write(rel: str, data: bytes) -> None:
    out(rel).write_bytes(data)


def make_scans(exp: Expected) -> None:
    S = "scans/"
    date = dt.date

    rel = S + "i797c-receipt-i130-wac-dct-200dpi.pdf"
    n = catalog.quick("scan-dct", "I-797C", "Receipt Notice", "I-130", "WAC", 2022, 9, beneficiary_a=True,
                      a_style="hash_spaced")
    r = np_rng(rel)
    pages = scanned(n, 200, r, skew=1.3, noise=0.006)
    write(rel, P.write_pdf([P.ScanPage(P.dct(pg, 72), 612, 792) for pg in pages]))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "image-only PDF, DCTDecode (8-bit gray JPEG), 200 dpi, skewed 1.3 degrees, speckles, uneven toner; "
                 "I-797C receipt, I-130, WAC, beneficiary A#")

    rel = S + "i797-approval-i130-msc-flate-gray-150dpi-low-contrast.pdf"
    n = catalog.quick("scan-flate-gray", "I-797", "Approval Notice", "I-130", "MSC", 2021, 5, beneficiary_a=True,
                      a_style="dashed", priority=date(2021, 5, 3))
    n.priority = n.received
    r = np_rng(rel)
    pages = scanned(n, 150, r, skew=-0.6, paper=0.80, ink=0.46, toner=0.35, noise=0.0, blur=0.6)
    write(rel, P.write_pdf([P.ScanPage(P.flate_gray(pg), 612, 792) for pg in pages]))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "**hard but readable**: FlateDecode 8-bit gray, only 150 dpi, low contrast (gray paper, gray ink), "
                 "faded toner; I-797 approval, I-130, MSC, priority date")

    rel = S + "i797c-biometrics-n400-nbc-flate-1bit-300dpi.pdf"
    n = catalog.quick("scan-flate-1bit", "I-797C", "ASC Appointment Notice", "N-400", "NBC", 2020, 11,
                      layout="legacy", a_style="hash_dashed")
    r = np_rng(rel)
    pages = [raster.bilevel(pg, 140) for pg in scanned(n, 300, r, skew=0.4, noise=0.01)]
    write(rel, P.write_pdf([P.ScanPage(P.flate_bilevel(pg), 612, 792) for pg in pages]))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "FlateDecode 1-bit (black-and-white scan), 300 dpi; old upper-case layout ASC Appointment Notice, "
                 "N-400, NBC, `DATE AND TIME OF APPOINTMENT`")

    rel = S + "i797c-receipt-i485-ioe-ccitt-g4-200dpi.pdf"
    n = catalog.quick("scan-g4", "I-797C", "Receipt Notice", "I-485", "IOE", 2024, 4, account=True,
                      a_style="spaced", priority=date(2022, 11, 30))
    r = np_rng(rel)
    pages = [raster.bilevel(pg) for pg in scanned(n, 200, r, skew=-0.8, noise=0.012)]
    write(rel, P.write_pdf([P.ScanPage(P.ccitt_g4(pg), 612, 792) for pg in pages], producer="FaxServer 7"))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "CCITTFaxDecode Group 4 (K=-1, BlackIs1 false), 200 dpi bilevel, skew -0.8 degrees; I-797C receipt, "
                 "I-485, IOE, priority date, account number")

    rel = S + "i797e-rfe-i140-lin-jbig2-300dpi-2pages.pdf"
    n = catalog.quick("scan-jbig2", "I-797E", "Request for Evidence", "I-140", "LIN", 2023, 2, pages=2,
                      beneficiary_a=True, a_style="hash_spaced")
    n.page2_body = [n.page2_body[0]] + [
        "1. Ability to pay. Submit the petitioner's annual reports, federal tax returns or audited "
        "financial statements for each year from the priority date onward.",
        "2. Experience letters. Submit letters from the beneficiary's former employers giving the "
        "name, address and title of the writer and a description of the duties performed.",
    ] + n.page2_body[-1:]
    n.priority = n.received
    r = np_rng(rel)
    pages = [raster.dark_left_edge(raster.bilevel(pg, 145)) for pg in scanned(n, 300, r, skew=0.3, noise=0.01)]
    write(rel, P.write_pdf([P.ScanPage(P.jbig2(pg), 612, 792) for pg in pages]))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "JBIG2Decode (embedded stream, immediate lossless generic region, MMR), 300 dpi, 2 pages; "
                 "I-797E Request for Evidence, I-140, LIN; page 2 has no number (no row)")

    rel = S + "i797c-receipt-i765-eac-jpx-200dpi.pdf"
    n = catalog.quick("scan-jpx", "I-797C", "Receipt Notice", "I-765", "EAC", 2021, 8, a_style="compact8")
    n.applicant_a = "0" + n.applicant_a[1:]
    r = np_rng(rel)
    pages = scanned(n, 200, r, skew=-1.1, noise=0.004)
    write(rel, P.write_pdf([P.ScanPage(P.jpx(pg, 30), 612, 792) for pg in pages]))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "JPXDecode (JPEG 2000, gray), 200 dpi, skew -1.1 degrees; I-797C receipt, I-765, EAC, "
                 "8-digit A-number printed `A12345678`")

    rel = S + "i797a-approval-i539-src-rotate90.pdf"
    n = catalog.quick("scan-rotate90", "I-797A", "Approval Notice", "I-539", "SRC", 2022, 6, klass="B2",
                      valid=(date(2022, 9, 1), date(2023, 2, 28)), a_style="spaced")
    rng = fd.rng_for(rel)
    fam, given = n.applicant.split(", ")
    n.i94 = {"number": fd.i94_number(rng), "family": fam, "given": given, "birth": "11/02/1979",
             "country": "COLOMBIA"}
    n.body = ["The above application for an extension of stay has been approved. The new Form I-94 is "
              "at the bottom of this notice."]
    r = np_rng(rel)
    pages = scanned(n, 200, r, skew=0.7, noise=0.006)
    sideways = [pg.rotate(90, expand=True) for pg in pages]
    for s in sideways:
        s.info["dpi"] = (200, 200)
    write(rel, P.write_pdf([P.ScanPage(P.dct(pg, 72), 612, 792, rotate=90) for pg in sideways]))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "page with `/Rotate 90`: the scan is stored sideways (landscape media box) and shows upright only "
                 "when the rotation is applied; DCT 200 dpi; I-797A approval of an I-539, Class B2, validity dates, I-94 tear-off")

    rel = S + "mixed-text-and-scan-3pages.pdf"
    n1 = catalog.quick("mixed-1", "I-797B", "Approval Notice", "I-129", "LIN", 2023, 3, klass="H1B",
                       valid=(date(2023, 10, 1), date(2026, 9, 30)))
    n2 = catalog.quick("mixed-2", "I-797C", "Receipt Notice", "I-765", "SRC", 2023, 7, a_style="hash_dashed")
    n3 = catalog.quick("mixed-3", "I-797C", "Receipt Notice", "I-589", "ZCH", 2023, 9, a_style="spaced")
    r = np_rng(rel)
    scan2 = scanned(n2, 150, r, skew=-1.6, noise=0.006)[0]
    jpg = HERE / ".tmp-mixed.jpg"
    scan2.save(jpg, "JPEG", quality=72, dpi=(150, 150))
    c = canvas(out(rel), "Scanned documents")
    draw_notice(c, n1)
    c.drawImage(str(jpg), 0, 0, 612, 792)
    c.showPage()
    draw_notice(c, n3)
    c.save()
    jpg.unlink()
    exp.notice(rel, 1, n1, "pdf_text")
    exp.notice(rel, 2, n2, "ocr")
    exp.notice(rel, 3, n3, "pdf_text")
    exp.describe(rel, "3 pages: text layer (I-797B approval, I-129, LIN, H1B), a scanned page (DCT 150 dpi, skew -1.6; "
                 "I-797C receipt, I-765, SRC), text layer again (I-797C receipt, I-589, asylum office ZCH)")

    rel = S + "searchable-scan-with-ocr-layer.pdf"
    n = catalog.quick("searchable", "I-797C", "Receipt Notice", "I-751", "EAC", 2024, 5, a_style="spaced")
    n.body.insert(0, catalog.I751_EXTENSION)
    r = np_rng(rel)
    pg = scanned(n, 200, r, skew=0.0, noise=0.006)[0]
    jpg = HERE / ".tmp-searchable.jpg"
    pg.save(jpg, "JPEG", quality=72, dpi=(200, 200))
    c = canvas(out(rel), "Scan", "ScanSoft PDF Create (searchable)")
    c.drawImage(str(jpg), 0, 0, 612, 792)
    from notice import Painter, draw_notice_page
    draw_notice_page(Painter(c, invisible=True), n, 1)
    c.showPage()
    c.save()
    jpg.unlink()
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "a scan (DCT 200 dpi) with an invisible OCR text layer (text render mode 3) over it, as scanner "
                 "software makes \"searchable PDFs\". That layer is someone else's OCR, with no confidences, so i797 "
                 "reads the scan itself: `ocr`; I-797C receipt, I-751, EAC")

    rel = S + "nvc-welcome-letter-bmb-scan.pdf"
    L = letters.nvc_letter("nvc-welcome-bmb", "BMB", date(2021, 2, 3))
    r = np_rng(rel)
    pages = [raster.scan(pg, r, skew=-0.9, paper=0.90, ink=0.05, noise=0.006)
             for pg in raster.render(lambda c: letters.draw_nvc_letter(c, L), 200)]
    write(rel, P.write_pdf([P.ScanPage(P.dct(pg, 70), 612, 792) for pg in pages]))
    exp.found(rel, 1, L.expected(), "ocr", kind="nvc_case")
    exp.describe(rel, "scanned NVC Welcome Letter (DCT 200 dpi, darker scan), post BMB (Mumbai)")

    rel = S + "i797c-interview-i485-msc-dark-300dpi.pdf"
    n = catalog.quick("scan-dark", "I-797C", "Request for Applicant to Appear for Initial Interview", "I-485", "MSC",
                      2022, 1, a_style="hash_spaced", priority=date(2019, 8, 5))
    r = np_rng(rel)
    pages = scanned(n, 300, r, skew=1.8, paper=0.78, ink=0.02, toner=0.1, noise=0.008, blur=0.9)
    write(rel, P.write_pdf([P.ScanPage(P.dct(pg, 60), 612, 792) for pg in pages]))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "dark, heavy scan (gray paper, bleeding ink), 300 dpi DCT quality 60, skew 1.8 degrees; "
                 "I-797C interview notice, I-485, MSC, priority date")

    rel = "other/i94-record-scan.pdf"
    r = np_rng(rel)
    pages = [raster.bilevel(raster.scan(pg, r, skew=0.5, noise=0.01))
             for pg in raster.render(letters.draw_i94_printout, 200)]
    write(rel, P.write_pdf([P.ScanPage(P.ccitt_g4(pg), 612, 792) for pg in pages]))
    exp.none(rel)
    exp.describe(rel, "scanned I-94 printout (CCITT G4): OCR finds no case number: no_notice")

    rel = "other/passport-specimen-scan.png"
    r = np_rng(rel)
    pg = raster.scan(raster.render(letters.draw_passport_page, 150)[0], r, skew=-0.4, noise=0.0)
    pg.save(out(rel), "PNG", optimize=True, dpi=(150, 150))
    exp.none(rel)
    exp.describe(rel, "passport-style data page of an invented country with MRZ lines (PNG, 150 dpi): no_notice")


def make_stacks(exp: Expected) -> None:
    date = dt.date
    rel = "stacks/mailroom-batch-g4-15pages.pdf"
    q = catalog.quick
    A = q("stack-a", "I-797C", "Receipt Notice", "I-130", "EAC", 2024, 1, beneficiary_a=True)
    B = q("stack-b", "I-797C", "Receipt Notice", "I-485", "MSC", 2024, 1, a_style="hash_dashed", account=True)
    C = q("stack-c", "I-797E", "Request for Evidence", "I-129", "WAC", 2023, 11, pages=2)
    E = q("stack-e", "I-797", "Approval Notice", "I-140", "LIN", 2023, 6, priority=date(2023, 6, 2),
          beneficiary_a=True, a_style="dashed")
    F = q("stack-f", "I-797C", "ASC Appointment Notice", "I-765", "IOE", 2024, 1, layout="legacy")
    G = q("stack-g", "I-797C", "Transfer Notice", "I-539", "SRC", 2023, 12)
    H = q("stack-h", "I-797C", "Receipt Notice", "N-400", "NBC", 2024, 2, a_style="compact8")
    H.applicant_a = "0" + H.applicant_a[1:]
    seq: list[tuple[str, Notice | None]] = [
        ("front", A), ("back", A), ("front", B), ("back", B), ("front", C), ("page2", C), ("blank", None),
        ("front", E), ("back", E), ("front", F), ("back", F), ("front", G), ("blank", None),
        ("front", H), ("back", H)]
    r = np_rng(rel)
    images = []
    for i, (what, n) in enumerate(seq, 1):
        if what in ("front", "page2"):
            assert n is not None
            pages = raster.render(lambda c: draw_notice(c, n), 200)
            pg = pages[0] if what == "front" else pages[1]
            if what == "front":
                exp.notice(rel, i, n, "ocr")
        elif what == "back":
            assert n is not None
            pg = raster.render(lambda c: catalog_back(c, n), 200)[0]
        else:
            pg = raster.blank_page(200)
        s = raster.scan(pg, r, skew=float(r.uniform(-1.5, 1.5)), noise=0.01, speckle=3e-4 if what == "blank" else 1.5e-4)
        images.append(raster.bilevel(s, 145))
    write(rel, P.write_pdf([P.ScanPage(P.ccitt_g4(im), 612, 792) for im in images], producer="MailRoom Capture 5"))
    exp.describe(rel, "15-page mail-room batch (CCITT G4, 200 dpi, each page skewed differently): 7 notices "
                 "(pages 1, 3, 5, 8, 10, 12, 14) with their back pages (general text, office name, no number), "
                 "page 2 of an RFE (6, no number), blank separator pages (7, 13): one row per notice front")

    rel = "stacks/duplex-jpeg-3-notices.pdf"
    X = q("duplex-x", "I-797C", "Receipt Notice", "I-131", "YSC", 2023, 5, a_style="spaced")
    Y = q("duplex-y", "I-797C", "Biometrics Appointment Notice", "I-589", "ZLA", 2023, 6)
    Z = q("duplex-z", "I-797A", "Approval Notice", "I-129", "WAC", 2024, 2, klass="L1A",
          valid=(date(2024, 5, 1), date(2026, 4, 30)))
    rng = fd.rng_for(rel)
    fam, given = Z.beneficiary.split(", ")
    Z.i94 = {"number": fd.i94_number(rng), "family": fam, "given": given, "birth": "07/23/1986",
             "country": "GERMANY"}
    Z.body = list(catalog.APPROVAL_I797A)
    r = np_rng(rel)
    images = []
    for i, n in enumerate([X, Y, Z]):
        front = raster.render(lambda c: draw_notice(c, n), 150)[0]
        back = raster.render(lambda c: catalog_back(c, n), 150)[0]
        images.append(raster.scan(front, r, skew=float(r.uniform(-1, 1)), noise=0.005))
        images.append(raster.scan(back, r, skew=float(r.uniform(-1, 1)), noise=0.005, show_through=front))
        exp.notice(rel, 2 * i + 1, n, "ocr")
    write(rel, P.write_pdf([P.ScanPage(P.dct(im, 65), 612, 792) for im in images], producer="Duplex Scan 2"))
    exp.describe(rel, "duplex scan of 3 notices, DCT 150 dpi: fronts on pages 1, 3, 5 (I-797C receipt I-131 YSC; "
                 "Biometrics Appointment Notice I-589 asylum office ZLA; I-797A approval I-129 L1A with I-94 tear-off), "
                 "backs with faint show-through of the front on pages 2, 4, 6")


def catalog_back(c, n: Notice) -> None:
    from notice import draw_back_page
    draw_back_page(c, n)


def make_images(exp: Expected) -> None:
    I = "images/"
    q = catalog.quick
    date = dt.date

    rel = I + "i797c-receipt-i130-nsc-200dpi.jpg"
    n = q("img-jpeg", "I-797C", "Receipt Notice", "I-130", "NSC", 2015, 7, beneficiary_a=True, a_style="spaced")
    pg = scanned(n, 200, np_rng(rel), skew=0.9, noise=0.006)[0]
    pg.save(out(rel), "JPEG", quality=75, dpi=(200, 200))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "JPEG scan, gray, 200 dpi, skew 0.9 degrees; I-797C receipt, I-130, old NSC prefix")

    rel = I + "i797-approval-i751-csc-150dpi.png"
    n = q("img-png", "I-797", "Approval Notice", "I-751", "CSC", 2014, 3, a_style="hash_spaced")
    n.body = ["The above petition to remove the conditions on residence has been approved. A new Permanent "
              "Resident Card will be mailed to you separately."]
    pg = scanned(n, 150, np_rng(rel), skew=-0.5, noise=0.0)[0]
    pg.save(out(rel), "PNG", optimize=True, dpi=(150, 150))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "PNG scan, 8-bit gray, 150 dpi; I-797 approval, I-751, old CSC prefix")

    rel = I + "notices-3pages-g4.tif"
    ns = [q("tif-1", "I-797C", "Receipt Notice", "I-485", "TSC", 2016, 2, a_style="hash_dashed"),
          q("tif-2", "I-797C", "Receipt Notice", "I-589", "ZBO", 2022, 4, a_style="spaced"),
          q("tif-3", "I-797", "Approval Notice", "I-131", "MSC", 2022, 8, a_style="dashed",
            valid=(date(2023, 1, 9), date(2024, 1, 8)))]
    r = np_rng(rel)
    frames = [raster.bilevel(scanned(n, 200, r, skew=float(r.uniform(-1, 1)), noise=0.01)[0]) for n in ns]
    write(rel, P.tiff_g4(frames, 200))
    for i, n in enumerate(ns, 1):
        exp.notice(rel, i, n, "ocr")
    exp.describe(rel, "multi-page TIFF, CCITT G4 (min-is-white, as fax software writes), 200 dpi, 3 notices: "
                 "I-485 receipt TSC, I-589 receipt asylum office ZBO, I-131 approval MSC with validity dates")

    rel = I + "i797c-receipt-i131-eac-lzw-150dpi.tif"
    n = q("img-lzw", "I-797C", "Receipt Notice", "I-131", "EAC", 2019, 2, a_style="compact8")
    n.applicant_a = "0" + n.applicant_a[1:]
    pg = scanned(n, 150, np_rng(rel), skew=0.4, noise=0.0)[0]
    pg.save(out(rel), "TIFF", compression="tiff_lzw", dpi=(150, 150))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "TIFF, LZW, 8-bit gray, 150 dpi; I-797C receipt, I-131, EAC")

    rel = I + "i797c-biometrics-i485-nbc-1bit.bmp"
    n = q("img-bmp", "I-797C", "Biometrics Appointment Notice", "I-485", "NBC", 2018, 9, a_style="spaced")
    pg = raster.bilevel(scanned(n, 200, np_rng(rel), skew=-0.3, noise=0.008)[0])
    pg.save(out(rel), "BMP")
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "BMP, 1 bit per pixel, 200 dpi; I-797C Biometrics Appointment Notice, I-485, NBC")

    rel = I + "i797c-receipt-i539-wac-16gray.gif"
    n = q("img-gif", "I-797C", "Receipt Notice", "I-539", "WAC", 2020, 6, a_style="hash_spaced")
    pg = scanned(n, 150, np_rng(rel), skew=0.6, noise=0.0)[0]
    pg.quantize(16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out(rel), "GIF")
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "GIF, 16-level palette, 150 dpi; I-797C receipt, I-539, WAC")

    rel = I + "scan-really-a-png.jpg"
    n = q("img-fake-ext", "I-797C", "Receipt Notice", "I-765", "LIN", 2021, 10, a_style="spaced")
    pg = raster.bilevel(scanned(n, 200, np_rng(rel), skew=-0.7, noise=0.008)[0])
    pg.save(out(rel), "PNG", optimize=True, dpi=(200, 200))
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "named `.jpg` but the bytes are a PNG (bilevel, 200 dpi): type must come from the content; "
                 "I-797C receipt, I-765, LIN")

    rel = I + "i797c-receipt-i821d-ioe.webp"
    n = q("img-webp", "I-797C", "Receipt Notice", "I-821D", "IOE", 2024, 7, a_style="dashed", account=True)
    pg = scanned(n, 200, np_rng(rel), skew=1.0, noise=0.004)[0]
    pg.convert("RGB").save(out(rel), "WEBP", quality=70, method=6)
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "WebP (lossy), 200 dpi scan; I-797C receipt, I-821D, IOE, account number")

    rel = I + "i797e-rfe-i485-msc.jp2"
    n = q("img-jp2", "I-797E", "Request for Evidence", "I-485", "MSC", 2022, 12, a_style="hash_dashed")
    pg = scanned(n, 200, np_rng(rel), skew=-0.5, noise=0.004)[0]
    pg.save(out(rel), "JPEG2000", irreversible=True, quality_mode="rates", quality_layers=[30])
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "JPEG 2000 file (JP2), gray, 200 dpi; I-797E Request for Evidence, I-485, MSC")


def make_photos(exp: Expected) -> None:
    Ph = "photos/"
    q = catalog.quick

    def shoot(rel: str, draw, corners, **kw) -> Image.Image:
        page = raster.render(draw, 300, color=True)[0]
        return raster.photo(page, np_rng(rel), corners=corners, **kw)

    def save(rel: str, im: Image.Image, exif: Image.Exif | None = None) -> None:
        args = {"quality": 80, "subsampling": 2}
        if exif is not None:
            args["exif"] = exif.tobytes()
        im.save(out(rel), "JPEG", **args)

    def camera_exif() -> Image.Exif:
        e = Image.Exif()
        e[0x010F] = "Phone Maker"  # Make
        e[0x0110] = "Model 12"  # Model
        return e

    rel = Ph + "phone-i797c-receipt-i485-msc-angle.jpg"
    n = q("photo-angle", "I-797C", "Receipt Notice", "I-485", "MSC", 2023, 10, a_style="spaced", account=True)
    im = shoot(rel, lambda c: draw_notice(c, n), [(0.15, 0.11), (0.87, 0.14), (0.93, 0.90), (0.06, 0.87)],
               shadow=(0.72, 0.78, 0.13))
    save(rel, im, camera_exif())
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "phone photo, 3000x4000 JPEG: page at an angle (perspective), wood table around it, light "
                 "falling off to one side, a soft hand shadow, slight blur; I-797C receipt, I-485, MSC, account number")

    rel = Ph + "phone-i797-approval-i130-eac-upside-down.jpg"
    n = q("photo-upside", "I-797", "Approval Notice", "I-130", "EAC", 2022, 3, beneficiary_a=True, a_style="hash_spaced")
    n.priority = n.received
    im = shoot(rel, lambda c: draw_notice(c, n), [(0.10, 0.08), (0.90, 0.07), (0.92, 0.93), (0.09, 0.94)],
               background="desk", light=0.25)
    save(rel, im.rotate(180), camera_exif())
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "phone photo stored upside down (pixels rotated 180 degrees, no EXIF orientation), dark desk; "
                 "I-797 approval, I-130, EAC, priority date")

    rel = Ph + "phone-i797c-receipt-i765-wac-exif-orientation-6.jpg"
    n = q("photo-exif6", "I-797C", "Receipt Notice", "I-765", "WAC", 2024, 9, a_style="hash_dashed")
    im = shoot(rel, lambda c: draw_notice(c, n), [(0.12, 0.09), (0.88, 0.10), (0.90, 0.91), (0.10, 0.90)],
               light=0.3)
    e = camera_exif()
    e[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    save(rel, im.rotate(90, expand=True), e)
    exp.notice(rel, 1, n, "ocr")
    exp.describe(rel, "phone photo stored sideways (4000x3000 pixels) with EXIF Orientation = 6: upright only when "
                 "the tag is honoured; I-797C receipt, I-765, WAC")

    rel = Ph + "phone-nvc-welcome-letter-hcm.jpg"
    L = letters.nvc_letter("nvc-welcome-hcm", "HCM", dt.date(2022, 8, 9))
    im = shoot(rel, lambda c: letters.draw_nvc_letter(c, L), [(0.08, 0.13), (0.85, 0.08), (0.94, 0.86), (0.13, 0.93)],
               background="desk", light=0.4, shadow=(0.3, 0.3, 0.15), blur=1.6)
    save(rel, im, camera_exif())
    exp.found(rel, 1, L.expected(), "ocr", kind="nvc_case")
    exp.describe(rel, "phone photo of an NVC Welcome Letter (post HCM), rotated a few degrees, strong light fall-off, "
                 "a shadow, more blur")


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
    make_scans(exp)
    make_stacks(exp)
    make_images(exp)
    make_photos(exp)
    n = exp.write(SAMPLES / "expected.csv")
    write_readme(exp, n)
    print(f"{n} expected rows, {len(exp.described)} files")


if __name__ == "__main__":
    main()
