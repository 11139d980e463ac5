"""Letters that are not I-797 notices: the NVC Welcome Letter (which carries an NVC case number),
and the distractors (a law firm's cover letter that names receipt numbers in prose, a courier
invoice with order and invoice numbers, an I-94 record printout, a passport-style data page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

import fakedata as fd
from notice import PAGE_H, PAGE_W, Painter


@dataclass
class NvcLetter:
    case_number: str
    invoice_id: str
    letter_date: dt.date
    petitioner: str
    beneficiary: str
    priority: dt.date
    category: str
    mail_to: list[str]
    post_name: str

    def expected(self) -> dict[str, str]:
        # Only labelled facts: the letter has no form, notice type or case-type box, and its date
        # line is not labelled "Notice Date", so those stay empty.
        return {
            "receipt_number": self.case_number, "form": "", "notice_type": "", "case_type": "",
            "received_date": "", "notice_date": "", "priority_date": fd.iso(self.priority),
            "valid_from": "", "valid_until": "", "a_number": "", "account_number": "",
            "applicant": self.petitioner, "beneficiary": self.beneficiary,
        }


POSTS = {"MNL": ("U.S. Embassy Manila", "PHILIPPINES"), "BMB": ("U.S. Consulate General Mumbai", "INDIA"),
         "HCM": ("U.S. Consulate General Ho Chi Minh City", "VIETNAM"),
         "CDJ": ("U.S. Consulate General Ciudad Juarez", "MEXICO")}


def nvc_letter(seed: str, post: str, created: dt.date) -> NvcLetter:
    rng = fd.rng_for(seed)
    pet, ben = fd.person(rng), fd.person(rng)
    return NvcLetter(
        case_number=fd.nvc_case_number(rng, post, created),
        invoice_id=f"{rng.randint(100000000, 999999999)}",
        letter_date=fd.weekday_after(created, 6),
        petitioner=fd.boxed_name(pet),
        beneficiary=fd.boxed_name(ben),
        priority=created - dt.timedelta(days=rng.randint(200, 400)),
        category=rng.choice(["IR1 - SPOUSE OF A U.S. CITIZEN", "F2A - SPOUSE OR CHILD OF A PERMANENT RESIDENT",
                             "IR5 - PARENT OF A U.S. CITIZEN"]),
        mail_to=[fd.mail_name(ben), f"{rng.randint(10, 999)} {rng.choice(fd.STREETS).title()}",
                 f"District {rng.randint(1, 12)}", POSTS[post][1].title()],
        post_name=POSTS[post][0],
    )


def draw_nvc_letter(c: Canvas, L: NvcLetter, invisible: bool = False) -> None:
    p = Painter(c, invisible)
    p.seal(66, 740, 26)
    p.text(102, 748, "U.S. Department of State", "Times-Bold", 14)
    p.text(102, 732, "National Visa Center", "Times-Roman", 12)
    for i, line in enumerate(["31 Granite Way", "Portsmouth, NH 03801-0001",
                              "Public Inquiry Form: travel.state.gov/nvc"]):
        p.text(576, 750 - 12 * i, line, "Helvetica", 8.5, "right")
    p.text(54, 690, fd.letter_date(L.letter_date), "Times-Roman", 11)
    y = 664
    for line in L.mail_to:
        p.text(54, y, line, "Times-Roman", 11)
        y -= 13
    y -= 18
    p.text(PAGE_W / 2, y, "WELCOME LETTER", "Times-Bold", 13, "center")
    y -= 26
    p.rect(54, y - 88, 504, 100)
    facts = [("NVC Case Number:", L.case_number), ("Invoice ID Number:", L.invoice_id),
             ("Petitioner:", L.petitioner), ("Beneficiary:", L.beneficiary),
             ("Preference Category:", L.category), ("Priority Date:", fd.letter_date(L.priority)),
             ("Interviewing Post:", L.post_name)]
    for label, value in facts:
        p.text(66, y, label, "Helvetica-Bold", 9.5)
        p.text(200, y, value, "Helvetica", 9.5)
        y -= 13
    y -= 22
    body = [
        "Dear Applicant: The National Visa Center (NVC) has received your approved petition from "
        "U.S. Citizenship and Immigration Services. NVC collects your fees, forms and documents "
        "before your case is sent to the interviewing post for a visa interview.",
        "Please include your NVC Case Number and Invoice ID Number whenever you contact us. Keep "
        "this letter: you will need both numbers to sign in to the Consular Electronic "
        "Application Center (CEAC) and pay your fees.",
        "Next steps: (1) choose an agent, (2) pay the fees, (3) complete the online forms, "
        "(4) collect and submit your financial evidence and civil documents. When your case is "
        "documentarily complete, NVC will schedule your interview as soon as an appointment is "
        "available at the interviewing post.",
        "This letter is not a visa and does not allow travel to the United States.",
    ]
    for para in body:
        y = p.para(54, y, para, 504, "Times-Roman", 10.5, 13) - 8
    p.text(54, 70, "National Visa Center", "Times-Italic", 10)
    p.text(576, 40, "NVC-WL 0417", "Helvetica", 7, "right")
    c.showPage()


# --- distractors ---------------------------------------------------------------------------------


def draw_cover_letter(c: Canvas, font: str, bold: str, numbers: tuple[str, str]) -> None:
    """A law firm's cover letter that names two receipt numbers in running text only."""
    rng = fd.rng_for("law-firm-cover-letter")
    p = Painter(c)
    firm = "Thornbury Ashgrove & Quell LLP"
    p.text(PAGE_W / 2, 748, firm, bold, 16, "center")
    p.text(PAGE_W / 2, 732, "Immigration & Nationality Law  |  410 Fernhollow Blvd, Suite 900  |  "
           "Madison, WI 53703  |  (608) 555-0117", font, 8.5, "center")
    p.line(54, 724, 558, 724, 0.6)
    p.text(54, 690, "October 14, 2022", font, 10.5)
    client = fd.person(rng)
    y = 662
    street, city = fd.address(rng)
    town, state, zipcode = city.rsplit(" ", 2)
    for line in [f"Ms. {client[1].title()} {client[0].title()}", street.title(),
                 f"{town.title()}, {state} {zipcode}"]:
        p.text(54, y, line, font, 10.5)
        y -= 13
    y -= 14
    p.text(54, y, "Re: Your family petition - our file 22-0417", bold, 10.5)
    y -= 24
    paras = [
        f"Dear Ms. {client[0].title()}:",
        "We are pleased to let you know that USCIS has accepted the petition we filed for your "
        f"husband. We are writing regarding receipt number {numbers[0]}, which USCIS assigned when "
        "it received the petition on September 28, 2022. A copy of the notice USCIS mailed to our "
        "office is enclosed for your records.",
        "The application for your husband's work permit was received the same week; its number is "
        f"{numbers[1]}. You can follow both cases online, but please do not reply to any USCIS "
        "letter without speaking to us first.",
        "USCIS currently reports that cases of this kind take about eleven months. We will write to "
        "you again as soon as we hear anything, and we will send you the appointment letter for "
        "fingerprints when it arrives.",
        "Please call us if you move or if you plan to travel outside the United States.",
        "Sincerely,",
    ]
    for para in paras:
        y = p.para(54, y, para, 504, font, 10.5, 14) - 8
    y -= 26
    p.text(54, y, "Marisela Quell-Adebayo", font, 10.5)
    p.text(54, y - 13, "Attorney at Law", font, 10.5)
    p.text(54, 60, "Enclosure: USCIS notice (copy)", font, 9)
    c.showPage()


def draw_invoice(c: Canvas) -> None:
    """A translation/courier company's invoice: ORD + 10 digits and INV + 10 digits, no notice."""
    p = Painter(c)
    p.text(54, 740, "BLUEJAY TRANSLATION & COURIER LLC", "Helvetica-Bold", 14)
    p.text(54, 726, "88 Tamarack Street, Floor 3  -  Aurora, CO 80012  -  (720) 555-0163", "Helvetica", 8.5)
    p.text(558, 740, "INVOICE", "Helvetica-Bold", 20, "right")
    rows = [("Invoice No.", "INV2023004417"), ("Order number", "ORD1234567890"),
            ("Invoice date", "03/14/2023"), ("Due date", "04/13/2023"), ("Customer ID", "C-20931")]
    y = 700
    for k, v in rows:
        p.text(380, y, k, "Helvetica", 9.5)
        p.text(470, y, v, "Helvetica-Bold", 9.5)
        y -= 13
    p.text(54, 700, "Bill to:", "Helvetica-Bold", 9.5)
    for i, line in enumerate(["Cortado & Vance LLP", "Attn: Accounts Payable", "2214 Larkspur Way Ste 400",
                              "Salem OR 97301"]):
        p.text(54, 687 - 13 * i, line, "Helvetica", 9.5)
    y = 600
    p.rect(54, y - 150, 504, 170)
    cols = [(60, "Item"), (330, "Qty"), (390, "Unit price"), (490, "Amount")]
    for x, h in cols:
        p.text(x, y + 6, h, "Helvetica-Bold", 9.5)
    p.line(54, y, 558, y)
    items = [("Certified translation, birth certificate (Spanish > English)", "2", "$45.00", "$90.00"),
             ("Certified translation, marriage certificate", "1", "$45.00", "$45.00"),
             ("Overnight courier, tracking 7734 2210 5589", "1", "$38.50", "$38.50"),
             ("Notarization", "3", "$10.00", "$30.00")]
    y -= 16
    for it in items:
        for (x, _), v in zip(cols, it):
            p.text(x, y, v, "Helvetica", 9)
        y -= 16
    p.text(390, 430, "Subtotal", "Helvetica", 9.5)
    p.text(490, 430, "$203.50", "Helvetica", 9.5)
    p.text(390, 416, "Tax", "Helvetica", 9.5)
    p.text(490, 416, "$0.00", "Helvetica", 9.5)
    p.text(390, 400, "Total due", "Helvetica-Bold", 10)
    p.text(490, 400, "$203.50", "Helvetica-Bold", 10)
    p.para(54, 350, "Please quote the invoice number and the order number with your payment. "
           "Payment by check or bank transfer within 30 days. Thank you for your business.", 504)
    c.showPage()


def draw_i94_printout(c: Canvas) -> None:
    """A browser printout of a most recent I-94 record: an I-94 number, dates, no case number."""
    p = Painter(c)
    p.text(36, 770, "10/03/2022, 4:12 PM", "Helvetica", 7.5)
    p.text(PAGE_W / 2, 770, "I-94 Official Website - Most Recent I-94", "Helvetica", 7.5, "center")
    p.text(54, 730, "Most Recent I-94", "Helvetica-Bold", 16)
    p.text(54, 712, "Admission (I-94) Record Number: 482915067A4", "Helvetica-Bold", 11)
    rows = [("Most Recent Date of Entry:", "2022 October 03"), ("Class of Admission:", "H1B"),
            ("Admit Until Date:", "09/30/2025"), ("Details provided on the I-94 Information form:", ""),
            ("Last/Surname:", "LINDQVIST"), ("First (Given) Name:", "AROHA"),
            ("Birth Date:", "1991 April 17"), ("Document Number:", "XK8842671"),
            ("Country of Citizenship:", "New Zealand")]
    y = 684
    for k, v in rows:
        p.text(54, y, k, "Helvetica", 10)
        p.text(300, y, v, "Helvetica", 10)
        y -= 17
    p.para(54, y - 10, "Note: For travelers admitted on or after April 30, 2013, this is the official "
           "record of admission. Travelers should check that the information is correct; for "
           "corrections, contact the nearest CBP deferred inspection office. This record is not a "
           "visa and does not, by itself, show lawful status.", 504)
    p.text(36, 24, "https://i94.example.invalid/recent-search", "Helvetica", 7.5)
    p.text(576, 24, "1/1", "Helvetica", 7.5, "right")
    c.showPage()


def draw_passport_page(c: Canvas) -> None:
    """A passport-style data page (an invented state, a specimen), with its two MRZ lines."""
    p = Painter(c)
    p.rect(90, 430, 432, 300, 1.2)
    p.text(PAGE_W / 2, 708, "REPUBLIC OF ELDORIA  -  PASSPORT", "Helvetica-Bold", 13, "center")
    p.rect(110, 520, 110, 140, 0.8)
    p.text(165, 590, "PHOTO", "Helvetica", 9, "center")
    rows = [("Type / Code / Passport No.", "P   ELD   EK4471902"), ("Surname", "SPECIMEN-ODALYS"),
            ("Given names", "MARGIT ROSE"), ("Nationality", "ELDORIAN"),
            ("Date of birth", "12 MAR 1988"), ("Date of issue", "05 JUN 2019"),
            ("Date of expiry", "04 JUN 2029"), ("Authority", "MINISTRY OF INTERIOR")]
    y = 672
    for k, v in rows:
        p.text(240, y, k, "Helvetica", 7)
        p.text(240, y - 10, v, "Courier-Bold", 10)
        y -= 22
    p.text(100, 470, "P<ELDSPECIMEN<ODALYS<<MARGIT<ROSE<<<<<<<<<<<<", "Courier-Bold", 12)
    p.text(100, 452, "EK44719021ELD8803127F2906044<<<<<<<<<<<<<<02", "Courier-Bold", 12)
    p.text(PAGE_W / 2, 400, "SPECIMEN - NOT A TRAVEL DOCUMENT", "Helvetica-Bold", 11, "center")
    c.showPage()


assert PAGE_H == 792.0
