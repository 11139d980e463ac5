"""The fake I-797 notice: its ground truth (what the CSV must say) and how it is drawn on a page.

A `Notice` holds the values as printed and as the contract wants them; `draw_notice` lays the
page out the way USCIS notices look (box grid with labels above values, notice-type column,
mailing block, body, office footer). The same drawing feeds the text PDFs, the scans (rendered,
then degraded) and the photos, so every picture of a notice has the same ground truth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

import fakedata as fd

PAGE_W, PAGE_H = 612.0, 792.0

CASE_TYPES = {
    "I-130": "PETITION FOR ALIEN RELATIVE",
    "I-129": "PETITION FOR A NONIMMIGRANT WORKER",
    "I-485": "APPLICATION TO REGISTER PERMANENT RESIDENCE OR ADJUST STATUS",
    "I-765": "APPLICATION FOR EMPLOYMENT AUTHORIZATION",
    "I-131": "APPLICATION FOR TRAVEL DOCUMENT",
    "I-539": "APPLICATION TO EXTEND/CHANGE NONIMMIGRANT STATUS",
    "I-140": "IMMIGRANT PETITION FOR ALIEN WORKER",
    "I-751": "PETITION TO REMOVE CONDITIONS ON RESIDENCE",
    "N-400": "APPLICATION FOR NATURALIZATION",
    "I-821D": "CONSIDERATION OF DEFERRED ACTION FOR CHILDHOOD ARRIVALS",
    "I-589": "APPLICATION FOR ASYLUM AND FOR WITHHOLDING OF REMOVAL",
    "I-90": "APPLICATION TO REPLACE PERMANENT RESIDENT CARD",
}

EDITION = {"I-797": "Form I-797 07/11/14", "I-797A": "Form I-797A 07/11/14",
           "I-797B": "Form I-797B 07/11/14", "I-797C": "Form I-797C 07/11/14",
           "I-797D": "Form I-797D 07/11/14", "I-797E": "Form I-797E 07/11/14"}


@dataclass
class Appointment:
    kind: str  # "biometrics" | "interview"
    when: dt.date
    time: str
    place: list[str]


@dataclass
class Notice:
    """One notice. Printed values are kept as printed; `expected()` gives the CSV contract."""

    form: str  # "I-797C"
    notice_type: str  # canonical, e.g. "Receipt Notice"
    case_type: str  # "I-130"
    receipt: str  # canonical 13 (or 12) characters
    received: dt.date
    notice_date: dt.date
    applicant: str  # as printed in the box
    applicant_label: str = "Applicant"  # or "Petitioner"
    applicant_a: str | None = None  # 9 canonical digits
    beneficiary: str | None = None
    beneficiary_a: str | None = None
    a_style: str = "spaced"
    priority: dt.date | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    klass: str | None = None
    account: str | None = None
    mail_to: list[str] = field(default_factory=list)
    amount: str | None = None
    section: str | None = None
    body: list[str] = field(default_factory=list)
    page2_body: list[str] = field(default_factory=list)  # a second page without the number
    layout: str = "modern"  # "modern" | "legacy"
    receipt_printed: str | None = None  # e.g. "WAC-06-123-54321" on old notices
    appointment: Appointment | None = None
    i94: dict | None = None  # tear-off on I-797A
    office: str | None = None  # footer office key (defaults to the receipt prefix)

    @property
    def pages(self) -> int:
        return 2 if self.page2_body else 1

    def expected(self) -> dict[str, str]:
        """The notice fields of this notice's CSV row (status, file etc. are added later)."""
        a = self.applicant_a or self.beneficiary_a
        return {
            "receipt_number": self.receipt,
            "form": self.form,
            "notice_type": self.notice_type,
            "case_type": self.case_type,
            "received_date": fd.iso(self.received),
            "notice_date": fd.iso(self.notice_date),
            "priority_date": fd.iso(self.priority),
            "valid_from": fd.iso(self.valid_from),
            "valid_until": fd.iso(self.valid_until),
            "a_number": ("A" + a) if a else "",
            "account_number": self.account or "",
            "applicant": self.applicant,
            "beneficiary": self.beneficiary or "",
        }


class Painter:
    """A thin layer over the canvas. With `invisible=True` it writes only text, in render mode 3
    (no ink), which is what scanner software puts over a scan to make it searchable."""

    def __init__(self, canvas: Canvas, invisible: bool = False, fonts: dict[str, str] | None = None):
        self.c = canvas
        self.invisible = invisible
        self.fonts = fonts or {}

    def font(self, name: str) -> str:
        return self.fonts.get(name, name)

    def text(self, x: float, y: float, s: str, font: str = "Helvetica", size: float = 10,
             align: str = "left") -> None:
        if not s:
            return
        font = self.font(font)
        w = self.c.stringWidth(s, font, size)
        if align == "right":
            x -= w
        elif align == "center":
            x -= w / 2
        if x < 18 or x + w > PAGE_W - 18:
            raise ValueError(f"text runs off the page: {s!r}")
        t = self.c.beginText(x, y)
        t.setFont(font, size)
        if self.invisible:
            t.setTextRenderMode(3)
        t.textOut(s)
        self.c.drawText(t)

    def para(self, x: float, y: float, s: str, width: float, font: str = "Helvetica",
             size: float = 9.5, leading: float = 12) -> float:
        """Draws a wrapped paragraph; returns the y below it."""
        for line in simpleSplit(s, self.font(font), size, width):
            self.text(x, y, line, font, size)
            y -= leading
        return y

    def rect(self, x: float, y: float, w: float, h: float, width: float = 0.8) -> None:
        if self.invisible:
            return
        self.c.setLineWidth(width)
        self.c.rect(x, y, w, h, stroke=1, fill=0)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.8, dash=None) -> None:
        if self.invisible:
            return
        self.c.setLineWidth(width)
        if dash:
            self.c.setDash(*dash)
        self.c.line(x1, y1, x2, y2)
        if dash:
            self.c.setDash()

    def seal(self, x: float, y: float, r: float) -> None:
        """A round seal-like emblem (no lettering, so OCR finds nothing in it)."""
        if self.invisible:
            return
        c = self.c
        c.setLineWidth(1.2)
        c.circle(x, y, r)
        c.setLineWidth(0.6)
        c.circle(x, y, r * 0.78)
        import math

        pts = []
        for i in range(10):
            rad = r * (0.55 if i % 2 == 0 else 0.24)
            ang = math.pi / 2 + i * math.pi / 5
            pts.append((x + rad * math.cos(ang), y + rad * math.sin(ang)))
        p = c.beginPath()
        p.moveTo(*pts[0])
        for pt in pts[1:]:
            p.lineTo(*pt)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
        for i in range(24):
            ang = i * math.pi / 12
            c.line(x + r * 0.8 * math.cos(ang), y + r * 0.8 * math.sin(ang),
                   x + r * 0.95 * math.cos(ang), y + r * 0.95 * math.sin(ang))


def case_type_text(n: Notice) -> str:
    name = CASE_TYPES[n.case_type]
    if n.layout == "legacy":
        return f"{n.case_type}, {name}"
    return f"{n.case_type.replace('-', '')} - {name}"


def a_text(digits: str | None, style: str) -> str:
    return fd.a_number_printed(digits, style) if digits else ""


def draw_header(p: Painter, n: Notice) -> None:
    if n.layout == "legacy":
        p.text(PAGE_W / 2, 752, "THE UNITED STATES OF AMERICA", "Times-Bold", 15, "center")
        p.text(36, 734, "U.S. Department of Homeland Security", "Helvetica", 8.5)
        p.text(36, 724, "U.S. Citizenship and Immigration Services", "Helvetica", 8.5)
        p.text(576, 734, f"{n.form}, Notice of Action", "Helvetica-Bold", 10.5, "right")
        return
    p.seal(66, 746, 24)
    p.text(98, 752, "Department of Homeland Security", "Helvetica-Bold", 10.5)
    p.text(98, 739, "U.S. Citizenship and Immigration Services", "Helvetica", 10.5)
    p.text(576, 752, f"Form {n.form}, Notice of Action", "Helvetica-Bold", 11, "right")
    if n.form == "I-797C":
        p.text(PAGE_W / 2, 714, "THIS NOTICE DOES NOT GRANT ANY IMMIGRATION STATUS OR BENEFIT.",
               "Helvetica-Bold", 9.5, "center")


def cell(p: Painter, x: float, top: float, w: float, h: float, label: str, value: str,
         extra: str = "", value_font: str = "Helvetica", value_size: float = 10,
         label_size: float = 7.5, second: str = "") -> None:
    p.rect(x, top - h, w, h)
    p.text(x + 4, top - 10, label, "Helvetica", label_size)
    if extra:
        p.text(x + 4 + p.c.stringWidth(label, p.font("Helvetica"), label_size) + 10, top - 10, extra,
               "Helvetica-Bold", 8.5)
    size = value_size
    while p.c.stringWidth(value, p.font(value_font), size) > w - 8 and size > 6:
        size -= 0.5
    p.text(x + 4, top - 24, value, value_font, size)
    if second:
        p.text(x + 4, top - 35, second, value_font, size)


def draw_grid(p: Painter, n: Notice, page: int) -> float:
    """The box grid; returns the y of its bottom edge."""
    receipt = n.receipt_printed or n.receipt
    of = f"{page} of {n.pages}"
    if n.layout == "legacy":
        vf = "Courier-Bold"
        top = 712
        cell(p, 36, top, 200, 32, "RECEIPT NUMBER", receipt, value_font=vf, label_size=7)
        cell(p, 236, top, 340, 32, "CASE TYPE", case_type_text(n), value_font=vf, value_size=9,
             label_size=7)
        top -= 32
        cell(p, 36, top, 120, 32, "RECEIPT DATE", fd.box_date(n.received), value_font=vf, label_size=7)
        cell(p, 156, top, 120, 32, "PRIORITY DATE", fd.box_date(n.priority), value_font=vf, label_size=7)
        cell(p, 276, top, 300, 32, n.applicant_label.upper(), n.applicant,
             a_text(n.applicant_a, n.a_style), value_font=vf, label_size=7)
        top -= 32
        cell(p, 36, top, 120, 32, "NOTICE DATE", fd.box_date(n.notice_date), value_font=vf, label_size=7)
        cell(p, 156, top, 120, 32, "PAGE", of, value_font=vf, label_size=7)
        cell(p, 276, top, 300, 32, "BENEFICIARY" if n.beneficiary else "", n.beneficiary or "",
             a_text(n.beneficiary_a, n.a_style), value_font=vf, label_size=7)
        return top - 32
    top = 700
    cell(p, 36, top, 200, 34, "Receipt Number", receipt)
    cell(p, 236, top, 340, 34, "Case Type", case_type_text(n), value_size=9)
    top -= 34
    cell(p, 36, top, 130, 34, "Received Date", fd.box_date(n.received))
    cell(p, 166, top, 130, 34, "Priority Date", fd.box_date(n.priority))
    cell(p, 296, top, 130, 34, "Notice Date", fd.box_date(n.notice_date))
    cell(p, 426, top, 150, 34, "Page", of)
    top -= 34
    if n.beneficiary:
        cell(p, 36, top, 270, 34, n.applicant_label, n.applicant, a_text(n.applicant_a, n.a_style))
        cell(p, 306, top, 270, 34, "Beneficiary", n.beneficiary, a_text(n.beneficiary_a, n.a_style))
    else:
        cell(p, 36, top, 540, 34, n.applicant_label, n.applicant, a_text(n.applicant_a, n.a_style))
    return top - 34


def draw_info(p: Painter, n: Notice, top: float) -> float:
    """Mailing block (left) and notice facts (right); returns the y below both."""
    legacy = n.layout == "legacy"
    mf = "Courier" if legacy else "Helvetica"
    x = 330
    label = "NOTICE TYPE: " + n.notice_type.upper() if legacy else f"Notice Type: {n.notice_type}"
    if p.c.stringWidth(label, p.font("Helvetica-Bold"), 10) > 576 - x:
        # A long notice type (interview notices) gets its own line across the page.
        p.text(54, top - 28, label, "Helvetica-Bold", 10)
        top -= 20
        y = top - 30
    else:
        y = top - 30
        p.text(x, y, label, "Helvetica-Bold", 10)
        y -= 14
    y_left = top - 30
    for line in n.mail_to:
        p.text(54, y_left, line, mf, 10)
        y_left -= 12
    if n.amount:
        p.text(x, y, f"Amount received: {n.amount}", "Helvetica", 9.5)
        y -= 13
    if n.section:
        first, *rest = simpleSplit(n.section, p.font("Helvetica"), 9.5, 200)
        p.text(x, y, "Section:", "Helvetica", 9.5)
        p.text(x + 40, y, first, "Helvetica", 9.5)
        y -= 12
        for line in rest:
            p.text(x + 40, y, line, "Helvetica", 9.5)
            y -= 12
        y -= 1
    if n.klass:
        p.text(x, y, f"Class: {n.klass}", "Helvetica", 9.5)
        y -= 13
    if n.valid_from and n.valid_until:
        p.text(x, y, f"Valid from {fd.box_date(n.valid_from)} to {fd.box_date(n.valid_until)}",
               "Helvetica", 9.5)
        y -= 13
    if n.account:
        p.text(x, y, f"USCIS Online Account Number: {n.account}", "Helvetica", 9)
        y -= 13
    return min(y_left, y) - 14


def draw_appointment(p: Painter, n: Notice, y: float) -> float:
    a = n.appointment
    assert a is not None
    if a.kind == "biometrics":
        p.text(54, y, "APPLICATION SUPPORT CENTER", "Helvetica-Bold", 9.5)
        p.text(330, y, "DATE AND TIME OF APPOINTMENT", "Helvetica-Bold", 9.5)
    else:
        p.text(54, y, "PLEASE COME TO:", "Helvetica-Bold", 9.5)
        p.text(330, y, "ON:", "Helvetica-Bold", 9.5)
    p.text(330, y - 13, fd.long_date(a.when), "Helvetica", 10)
    p.text(330, y - 26, ("AT: " if a.kind == "interview" else "") + a.time, "Helvetica", 10)
    yy = y - 13
    for line in a.place:
        p.text(54, yy, line, "Helvetica", 10)
        yy -= 12
    return min(yy, y - 26) - 16


def edition(n: Notice) -> str:
    return f"Form {n.form} (Rev. 01/31/05) N" if n.layout == "legacy" else EDITION[n.form]


def draw_footer(p: Painter, n: Notice, page: int) -> None:
    office = fd.SERVICE_CENTER_ADDRESS[n.office or n.receipt[:3]]
    bottom = 250 if n.i94 else 40
    if page == n.pages:
        p.text(36, bottom + 92, "Please see the additional information on the back. You will be "
               "notified separately about any other cases you filed.", "Helvetica-Bold", 8.5)
        p.line(36, bottom + 84, 576, bottom + 84, 0.6)
        y = bottom + 70
        for line in office:
            p.text(54, y, line, "Helvetica", 9)
            y -= 11
        p.text(330, bottom + 70, f"USCIS Contact Center: {fd.CONTACT_CENTER}", "Helvetica", 9)
        p.text(330, bottom + 59, "www.uscis.gov/contactcenter", "Helvetica", 9)
    if not n.i94:
        p.text(36, 24, edition(n), "Helvetica", 7)


def draw_i94(p: Painter, n: Notice) -> None:
    """The I-797A tear-off: a replacement I-94 under a dashed cut line."""
    t = n.i94
    assert t is not None
    p.line(36, 236, 576, 236, 0.8, dash=(4, 3))
    p.text(36, 226, "Please tear off the bottom part of this notice and keep it with your "
           "passport. It replaces your previous Form I-94.", "Helvetica", 8)
    p.text(36, 200, "Departure Record", "Helvetica-Bold", 11)
    p.text(576, 200, "Form I-94", "Helvetica-Bold", 11, "right")
    p.rect(36, 92, 540, 98)
    rows = [
        ("Admission (I-94) Record Number", t["number"], "Receipt Number", n.receipt),
        ("Family Name", t["family"], "First (Given) Name", t["given"]),
        ("Birth Date", t["birth"], "Country of Citizenship", t["country"]),
        ("Class of Admission", n.klass or "", "Admit Until Date", fd.box_date(n.valid_until)),
    ]
    y = 178
    for l1, v1, l2, v2 in rows:
        p.text(44, y, l1, "Helvetica", 7.5)
        p.text(44, y - 11, v1, "Courier-Bold", 10)
        p.text(306, y, l2, "Helvetica", 7.5)
        p.text(306, y - 11, v2, "Courier-Bold", 10)
        y -= 23
    p.text(36, 24, edition(n), "Helvetica", 7)


def draw_notice_page(p: Painter, n: Notice, page: int) -> None:
    draw_header(p, n)
    if page == 1:
        grid_bottom = draw_grid(p, n, 1)
        y = draw_info(p, n, grid_bottom)
        if n.appointment:
            # Appointment notices put the appointment right under the mailing block.
            y -= 4
            intro = n.body[0] if n.body else ""
            if intro:
                y = p.para(54, y, intro, 504) - 8
            y = draw_appointment(p, n, y)
            paras = n.body[1:]
        else:
            paras = n.body
        limit = 360 if n.i94 else 150
        for para in paras:
            if y < limit:
                break
            y = p.para(54, y, para, 504) - 6
        if n.i94:
            draw_i94(p, n)
    else:
        p.text(36, 700, f"Page {page} of {n.pages}", "Helvetica", 9)
        y = 676
        for para in n.page2_body:
            y = p.para(54, y, para, 504) - 6
    draw_footer(p, n, page)


def draw_notice(canvas: Canvas, n: Notice, invisible: bool = False,
                fonts: dict[str, str] | None = None) -> None:
    """Draws every page of the notice (each followed by showPage)."""
    p = Painter(canvas, invisible, fonts)
    for page in range(1, n.pages + 1):
        draw_notice_page(p, n, page)
        canvas.showPage()


def draw_back_page(canvas: Canvas, n: Notice, invisible: bool = False) -> None:
    """The mostly blank back of a notice: a few general lines, never the case number."""
    p = Painter(canvas, invisible)
    y = 740
    p.text(36, y, "Additional Information", "Helvetica-Bold", 10)
    y -= 16
    for para in BACK_TEXT:
        y = p.para(36, y, para, 540, size=8.5, leading=10.5) - 5
    office = fd.SERVICE_CENTER_ADDRESS[n.office or n.receipt[:3]]
    y -= 8
    p.text(36, y, "If you have questions, write to " + " ".join(office[1:2]).title()
           + " or call the USCIS Contact Center at " + fd.CONTACT_CENTER + ".", "Helvetica", 8.5)
    p.text(36, 24, edition(n) + " (back)", "Helvetica", 7)
    canvas.showPage()


BACK_TEXT = [
    "GENERAL. This notice tells you about an action taken on the case named on the front. Keep it "
    "with your records. If any of the information on the front is wrong, tell us at once and send "
    "a copy of this notice with your letter.",
    "NOTICE. A notice of action is not, by itself, a grant of status or of any benefit. It does not "
    "allow you to work, to travel or to stay past the date your current status ends, unless the "
    "front of the notice says so.",
    "ADDRESS CHANGES. If you move, tell USCIS within 10 days. Your notices and cards are mailed to "
    "the address we have on file.",
]
