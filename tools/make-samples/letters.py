"""Letters that are not I-797 notices: the NVC Welcome Letter (which carries an NVC case number,
and may quote the petition's USCIS receipt number), and the distractors (a law firm's cover letter
that names receipt numbers in prose, a courier invoice with order and invoice numbers, an I-94
record printout, a passport-style data page), and documents whose receipt-shaped numbers are no
case numbers (an EAD card, a green card, a visa foil, a handout with example numbers)."""

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
    # The petition's USCIS receipt number the letter quotes ("" for none), and its label; the
    # label of the case number ("Case Number:" on some letters, no "NVC").
    receipt: str = ""
    receipt_label: str = "USCIS Receipt Number:"
    case_label: str = "NVC Case Number:"

    def expected(self) -> dict[str, str]:
        # Only labelled facts: the letter has no form, notice type or case-type box, and its date
        # line is not labelled "Notice Date", so those stay empty. The quoted receipt is the
        # row's link, never a row of its own; `applicant` is the petitioner, `beneficiary` the
        # principal applicant.
        return {
            "receipt_number": self.case_number, "form": "", "notice_type": "", "case_type": "",
            "received_date": "", "notice_date": "", "priority_date": fd.iso(self.priority),
            "valid_from": "", "valid_until": "", "a_number": "", "account_number": "",
            "applicant": self.petitioner, "beneficiary": self.beneficiary,
            "linked_receipt": self.receipt, "invoice_id": self.invoice_id,
        }


POSTS = {"MNL": ("U.S. Embassy Manila", "PHILIPPINES"), "BMB": ("U.S. Consulate General Mumbai", "INDIA"),
         "HCM": ("U.S. Consulate General Ho Chi Minh City", "VIETNAM"),
         "CDJ": ("U.S. Consulate General Ciudad Juarez", "MEXICO"),
         "KNG": ("U.S. Embassy Kingston", "JAMAICA"), "SDO": ("U.S. Embassy Santo Domingo", "DOMINICAN REPUBLIC"),
         "PTP": ("U.S. Embassy Port-au-Prince", "HAITI"), "ISL": ("U.S. Embassy Islamabad", "PAKISTAN"),
         "TGG": ("U.S. Embassy Tegucigalpa", "HONDURAS")}


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


def nvc_letter_quoting(seed: str, post: str, created: dt.date, office: str, label: str = "USCIS Receipt Number:",
                       case_label: str = "NVC Case Number:") -> NvcLetter:
    """A Welcome Letter that also quotes the petition's USCIS receipt number (from `office`)."""
    L = nvc_letter(seed, post, created)
    rng = fd.rng_for(seed + "-receipt")
    L.receipt = fd.receipt_number(rng, office, created - dt.timedelta(days=rng.randint(300, 700)))
    L.receipt_label = label
    L.case_label = case_label
    return L


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
    facts = [(L.case_label, L.case_number), ("Invoice ID Number:", L.invoice_id),
             ("Petitioner:", L.petitioner), ("Beneficiary:", L.beneficiary),
             ("Preference Category:", L.category), ("Priority Date:", fd.letter_date(L.priority)),
             ("Interviewing Post:", L.post_name)]
    if L.receipt:
        facts.insert(2, (L.receipt_label, L.receipt))
        p.rect(54, y - 101, 504, 113)
    else:
        p.rect(54, y - 88, 504, 100)
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


# --- documents that are no notices, with receipt-shaped numbers -------------------------------


@dataclass
class Card:
    """An EAD (Form I-766) or a Permanent Resident Card (Form I-551), front side, invented holder."""
    kind: str  # "ead" or "green"
    surname: str
    given: str
    uscis: str
    category: str
    card_number: str
    country: str
    birth: dt.date
    sex: str
    valid_from: dt.date
    expires: dt.date


def card(seed: str, kind: str, office: str, issued: dt.date) -> Card:
    rng = fd.rng_for(seed)
    surname, given = fd.person(rng)
    d = fd.a_number_digits(rng)
    return Card(
        kind=kind, surname=surname, given=given, uscis=f"{d[0:3]}-{d[3:6]}-{d[6:9]}",
        category=rng.choice(["C09", "C08", "A05"]) if kind == "ead" else rng.choice(["IR1", "CR1", "E21"]),
        card_number=fd.receipt_number(rng, office, issued - dt.timedelta(days=rng.randint(60, 200))),
        country=rng.choice(["Nigeria", "Philippines", "Romania", "Peru", "Vietnam", "Jamaica"]),
        birth=dt.date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)),
        sex=rng.choice("FM"), valid_from=issued,
        expires=issued.replace(year=issued.year + (5 if kind == "ead" else 10)) - dt.timedelta(days=1),
    )


def card_date(d: dt.date) -> str:
    return d.strftime("%d %b %Y").upper()


def draw_card(c: Canvas, K: Card) -> None:
    """The card as an office copier enlarges it (about 2x) at the top of a letter page."""
    p = Painter(c)
    x0, y0, w, h = 60, 430, 492, 310
    p.rect(x0, y0, w, h, 1.4)
    p.text(x0 + w / 2, y0 + h - 26, "UNITED STATES OF AMERICA", "Helvetica-Bold", 15, "center")
    title = "EMPLOYMENT AUTHORIZATION CARD" if K.kind == "ead" else "PERMANENT RESIDENT"
    p.text(x0 + w / 2, y0 + h - 48, title, "Helvetica-Bold", 17, "center")
    p.rect(x0 + 18, y0 + 70, 120, 150, 0.8)
    p.text(x0 + 78, y0 + 140, "PHOTO", "Helvetica", 10, "center")
    lx = x0 + 160
    rows = [("Surname", K.surname), ("Given Name", K.given)]
    y = y0 + h - 80
    for label, value in rows:
        p.text(lx, y, label, "Helvetica", 8.5)
        p.text(lx, y - 15, value, "Helvetica-Bold", 13)
        y -= 36
    p.text(lx, y, "USCIS#", "Helvetica", 8.5)
    p.text(lx + 48, y, K.uscis, "Helvetica-Bold", 12)
    p.text(lx + 180, y, "Category", "Helvetica", 8.5)
    p.text(lx + 230, y, K.category, "Helvetica-Bold", 12)
    y -= 26
    if K.kind == "ead":
        p.text(lx, y, "Card#", "Helvetica", 8.5)
        p.text(lx + 48, y, K.card_number, "Helvetica-Bold", 13)
        y -= 26
    p.text(lx, y, "Country of Birth", "Helvetica", 8.5)
    p.text(lx + 90, y, K.country, "Helvetica-Bold", 12)
    y -= 22
    p.text(lx, y, "Date of Birth", "Helvetica", 8.5)
    p.text(lx + 90, y, card_date(K.birth), "Helvetica-Bold", 12)
    p.text(lx + 230, y, "Sex", "Helvetica", 8.5)
    p.text(lx + 255, y, K.sex, "Helvetica-Bold", 12)
    y -= 22
    if K.kind == "ead":
        p.text(lx, y, "Valid From:", "Helvetica", 8.5)
        p.text(lx + 90, y, fd.box_date(K.valid_from), "Helvetica-Bold", 12)
        y -= 20
        p.text(lx, y, "Card Expires:", "Helvetica", 8.5)
        p.text(lx + 90, y, fd.box_date(K.expires), "Helvetica-Bold", 12)
        p.text(x0 + w / 2, y0 + 22, "NOT VALID FOR REENTRY TO U.S.", "Helvetica-Bold", 11, "center")
    else:
        p.text(lx, y, "Card Expires", "Helvetica", 8.5)
        p.text(lx + 90, y, card_date(K.expires), "Helvetica-Bold", 12)
        y -= 20
        p.text(lx, y, "Resident Since", "Helvetica", 8.5)
        p.text(lx + 90, y, card_date(K.valid_from), "Helvetica-Bold", 12)
        p.text(x0 + 24, y0 + 26, "Card#", "Helvetica", 8.5)
        p.text(x0 + 64, y0 + 26, K.card_number, "Helvetica-Bold", 13)
    p.text(PAGE_W / 2, 400, "Copy of card, front (enlarged). Specimen data.", "Times-Italic", 9, "center")
    c.showPage()


@dataclass
class VisaFoil:
    surname: str
    given: str
    post: str
    control: str
    visa_class: str
    passport: str
    issued: dt.date
    petition: str


def visa_foil(seed: str, post: str, office: str, issued: dt.date) -> VisaFoil:
    rng = fd.rng_for(seed)
    surname, given = fd.person(rng)
    return VisaFoil(
        surname=surname, given=given, post=post,
        control=f"{issued.year}{rng.randint(1000000000, 9999999999)}",
        visa_class=rng.choice(["H1B", "L1A", "H4"]), passport=f"Z{rng.randint(1000000, 9999999)}",
        issued=issued, petition=fd.receipt_number(rng, office, issued - dt.timedelta(days=rng.randint(90, 300))),
    )


def draw_visa_foil(c: Canvas, V: VisaFoil) -> None:
    """A passport page with a U.S. visa foil; its annotation quotes the petition's receipt number."""
    p = Painter(c)
    x0, y0, w, h = 66, 420, 480, 320
    p.rect(x0, y0, w, h, 1.2)
    p.text(x0 + 20, y0 + h - 28, "UNITED STATES OF AMERICA", "Helvetica-Bold", 14)
    p.text(x0 + w - 20, y0 + h - 30, "VISA", "Helvetica-Bold", 24, "right")
    p.rect(x0 + 18, y0 + 70, 110, 140, 0.8)
    p.text(x0 + 73, y0 + 140, "PHOTO", "Helvetica", 10, "center")
    lx = x0 + 146
    issue = V.issued.strftime("%d%b%Y").upper()
    expiry = V.issued.replace(year=V.issued.year + 3).strftime("%d%b%Y").upper()
    rows = [
        [("Issuing Post Name", V.post), ("Control Number", V.control)],
        [("Surname", V.surname)],
        [("Given Name", V.given)],
        [("Visa Type/Class", f"R  {V.visa_class}"), ("Entries", "M")],
        [("Passport Number", V.passport), ("Sex", "F")],
        [("Issue Date", issue), ("Expiration Date", expiry)],
    ]
    y = y0 + h - 62
    for row in rows:
        for k, (label, value) in enumerate(row):
            x = lx + 170 * k
            p.text(x, y, label, "Helvetica", 8)
            p.text(x, y - 14, value, "Courier-Bold", 12)
        y -= 34
    p.text(lx, y, "Annotation", "Helvetica", 8)
    p.text(lx, y - 14, f"PET RCPT {V.petition}", "Courier-Bold", 11)
    p.text(lx, y - 28, "EXP 09/30/2026", "Courier-Bold", 11)
    mrz = f"VNUSA{V.surname.replace('-', '<')}<<{V.given}".ljust(44, "<")[:44]
    p.text(x0 + 14, y0 + 36, mrz, "Courier-Bold", 12)
    p.text(x0 + 14, y0 + 18, f"{V.passport}<0XXX0000000F0000000<<<<<<<<<<<<<<<"[:44], "Courier-Bold", 12)
    c.showPage()


def draw_handout(c: Canvas) -> None:
    """A law firm's client handout that explains receipt numbers with made-up examples."""
    p = Painter(c)
    p.text(PAGE_W / 2, 740, "Client Guide: Your USCIS Receipt Number", "Times-Bold", 16, "center")
    p.line(54, 728, 558, 728, 0.6)
    paras = [
        "When USCIS accepts a form, it mails a receipt notice (Form I-797C). The receipt number is "
        "printed in the top left box of that notice. It is a 13-character identifier: three "
        "letters followed by 10 numbers.",
        "For example, EAC2190012345 or WAC2290112233. The letters name the office that received "
        "the case: EAC for the Vermont Service Center, WAC for California, IOE for cases filed "
        "online (such as IOE0912345678). Type it without dashes when you check your case status.",
        "Keep every notice you receive and send us a copy. Do not confuse the receipt number with "
        "the number on your work permit card or your green card: those are card numbers, even if "
        "they look alike.",
    ]
    y = 700
    for para in paras:
        y = p.para(54, y, para, 504, "Times-Roman", 11, 15) - 10
    p.text(54, 60, "This guide is general information, not legal advice.", "Times-Italic", 9)
    c.showPage()
