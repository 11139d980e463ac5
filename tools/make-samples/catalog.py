"""The fake notices, one recipe each: form, notice type, case type, office, layout and quirks.

`notice(kind, seed_name, **overrides)` fills names, numbers and dates from a generator seeded by
`seed_name`, so each sample's people and numbers are its own and stable across runs.
"""

from __future__ import annotations

import datetime as dt
import random

import fakedata as fd
from notice import Appointment, Notice

# Plain-words body text (written for these samples, in the manner of real notices).
RECEIPT_BODY = [
    "The above application or petition has been received. It usually takes {lo} to {hi} months "
    "to process this kind of case. Processing times change; check the current times for this form "
    "and office at www.uscis.gov/processing-times before you contact us about your case.",
    "We will notify you by mail when we make a decision or if we need anything else from you. "
    "If you move while this case is pending, update your address online or call the USCIS Contact "
    "Center. Keep this notice; you will need the receipt number to ask about your case.",
]
BIOMETRICS_LATER = ("If we need your biometrics (fingerprints, photograph and signature), we will "
                    "send you a separate appointment notice telling you when and where to go.")
I751_EXTENSION = ("This notice extends the conditional resident status of the person(s) named "
                  "above for 48 months from the expiration date shown on the Permanent Resident "
                  "Card. Carry this notice with the card as evidence of status while the case is "
                  "pending.")
APPROVAL_I130 = [
    "The above petition has been approved. We have sent the petition to the Department of State "
    "National Visa Center (NVC), which processes approved immigrant visa petitions that need "
    "consular action. NVC will contact the beneficiary about the next steps.",
    "The approval of this petition does not itself grant any immigration status and does not "
    "guarantee that the beneficiary will be found eligible for a visa or for adjustment of status.",
]
APPROVAL_I797A = [
    "The above petition and extension of stay have been approved. The beneficiary's new Form I-94 "
    "is at the bottom of this notice; the beneficiary should keep it with the passport.",
]
APPROVAL_I797B = [
    "The above petition has been approved. The petition says that the person for whom you are "
    "petitioning will apply for a visa abroad, so we have sent a copy of this notice to the "
    "Department of State's Kentucky Consular Center. The beneficiary should contact the consulate "
    "to schedule a visa interview.",
]
APPROVAL_I140 = [
    "The above petition has been approved. The person for whom you are petitioning may now apply "
    "for an immigrant visa abroad or, if eligible, for adjustment of status in the United States "
    "once the priority date shown above is current.",
]
APPROVAL_I765 = [
    "Your application for employment authorization has been approved. The card that accompanies "
    "this notice is your Employment Authorization Document. Check it at once and tell us if any "
    "information on it is wrong.",
]
REJECTION_BODY = [
    "Your application is being returned to you because it cannot be accepted for filing. The fee "
    "you sent was not the correct amount for this form. Correct the problem and file the complete "
    "application again, with the correct fee, at the address in the form instructions.",
    "A rejected filing does not keep any date for you. The date of this notice is not a filing date.",
]
TRANSFER_BODY = [
    "To speed processing, we are transferring your case to the {to} for further action. You do not "
    "need to do anything now. Send any future correspondence about this case to the office shown "
    "below, and write the receipt number on anything you send.",
]
REOPEN_BODY = [
    "The case named above has been re-opened on a service motion. We will decide the case again "
    "and notify you in writing. You may be asked to appear for an interview or to send more "
    "evidence.",
]
BIOMETRICS_BODY = [
    "To process your case, USCIS must take your biometrics. Please appear at the Application "
    "Support Center shown below at the date and time given. If you do not appear, your case may "
    "be considered abandoned.",
    "WHEN YOU GO TO THE APPLICATION SUPPORT CENTER, BRING THIS NOTICE and a photo identification "
    "document such as a passport, driver's license or Permanent Resident Card. If you cannot keep "
    "this appointment, reschedule it online before the appointment date.",
]
INTERVIEW_BODY = [
    "You are requested to appear for an interview on the application named above, at the date, "
    "time and place shown below. Bring this notice, your passport and the originals of the "
    "documents you submitted with your application.",
    "If you need an interpreter, bring one who is at least 18 years old and fluent in English and "
    "your language. If you cannot attend, write to the office shown below before the interview "
    "date and explain why.",
]
RFE_BODY = [
    "Additional evidence is needed to process your petition. Send the evidence listed on the "
    "following page so that we receive it by {due}. If we do not receive it by that date, we may "
    "decide your case on the record as it stands.",
    "Put this notice on top of your response and send everything in one package. Do not send "
    "original documents unless we ask for them.",
]
RFE_PAGE2 = [
    "EVIDENCE REQUESTED",
    "1. Specialty occupation. Submit a detailed description of the beneficiary's proposed duties, "
    "the percentage of time spent on each duty, and the minimum education needed to perform them.",
    "2. Employer-employee relationship. Submit copies of the work assignments, the itinerary of "
    "services, and the contracts or statements of work covering the period requested.",
    "3. Beneficiary's qualifications. Submit the beneficiary's degree, transcripts and, if the "
    "degree was earned abroad, an evaluation of its U.S. equivalent.",
    "When you respond, include this notice and write your name and the receipt number on each page "
    "you send.",
]
PREMIUM_BODY = [
    "We received your request for premium processing service for the above petition. We will "
    "take action on the petition within 15 business days of the date of this notice; action means "
    "an approval, a denial, a notice of intent to deny, a request for evidence, or an "
    "investigation for fraud or misrepresentation.",
]


def dates(rng: random.Random, year: int, month: int) -> tuple[dt.date, dt.date]:
    received = fd.weekday_after(dt.date(year, month, rng.randint(1, 26)), 0)
    notice = fd.weekday_after(received, rng.randint(4, 16))
    return received, notice


def mail_block(rng: random.Random, name: str, attorney: bool) -> list[str]:
    lines = [name]
    if attorney:
        lines.append("c/o " + rng.choice(fd.LAW_FIRMS))
        lines += fd.firm_address(rng)
    else:
        lines += fd.address(rng)
    return lines


def receipt(seed: str, form: str, case_type: str, prefix: str, year: int, month: int,
            **kw) -> Notice:
    """A receipt-like notice (I-797C); `kw` overrides any field."""
    rng = fd.rng_for(seed)
    received, notice_date = dates(rng, year, month)
    app = fd.person(rng)
    n = Notice(
        form=form, notice_type="Receipt Notice", case_type=case_type,
        receipt=fd.receipt_number(rng, prefix, received), received=received,
        notice_date=notice_date, applicant=fd.boxed_name(app),
        mail_to=mail_block(rng, fd.mail_name(app), rng.random() < 0.5),
        body=[RECEIPT_BODY[0].format(lo=rng.randint(5, 9), hi=rng.randint(10, 16)),
              RECEIPT_BODY[1]],
    )
    n._rng = rng  # type: ignore[attr-defined]
    for k, v in kw.items():
        setattr(n, k, v)
    return n


def with_rng(n: Notice) -> random.Random:
    return n._rng  # type: ignore[attr-defined]


# --- the text-layer notices ------------------------------------------------------------------


def i797c_receipt_i130_eac() -> Notice:
    n = receipt("i797c-receipt-i130-eac", "I-797C", "I-130", "EAC", 2021, 1)
    rng = with_rng(n)
    pet, ben = fd.person(rng), fd.person(rng)
    ben = (pet[0], ben[1])
    n.applicant_label = "Petitioner"
    n.applicant = fd.boxed_name(pet)
    n.beneficiary = fd.boxed_name(ben)
    n.beneficiary_a = fd.a_number_digits(rng)
    n.a_style = "spaced"
    n.mail_to = mail_block(rng, fd.mail_name(pet), True)
    n.amount = "$535.00 U.S."
    n.section = "Husband or wife of U.S. citizen, 201(b) INA"
    return n


def i797c_receipt_i485_msc() -> Notice:
    n = receipt("i797c-receipt-i485-msc", "I-797C", "I-485", "MSC", 2019, 3)
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "hash_dashed"
    n.account = fd.account_number(rng)
    n.priority = dt.date(2017, 6, 12)
    n.amount = "$1,225.00 U.S."
    n.section = "Adjustment as direct beneficiary of immigrant petition"
    n.body.insert(1, BIOMETRICS_LATER)
    return n


def i797c_receipt_n400_ioe() -> Notice:
    n = receipt("i797c-receipt-n400-ioe", "I-797C", "N-400", "IOE", 2023, 5)
    rng = with_rng(n)
    n.applicant_a = f"0{rng.randint(10000000, 99999999)}"  # 8 digits, printed without the zero
    n.a_style = "compact8"
    n.account = fd.account_number(rng)
    n.amount = "$710.00 U.S."
    n.body.insert(1, BIOMETRICS_LATER)
    return n


def i797c_receipt_i765_nbc() -> Notice:
    n = receipt("i797c-receipt-i765-nbc", "I-797C", "I-765", "NBC", 2022, 8)
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "hash_spaced"
    n.amount = "$0.00 U.S."
    n.section = "(c)(9) Pending adjustment of status under Section 245 of the Act"
    return n


def i797c_receipt_i821d_src() -> Notice:
    n = receipt("i797c-receipt-i821d-src", "I-797C", "I-821D", "SRC", 2020, 12)
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "dashed"
    n.amount = "$0.00 U.S."
    n.section = "Renewal of deferred action"
    return n


def i797c_receipt_i751_wac() -> Notice:
    n = receipt("i797c-receipt-i751-wac", "I-797C", "I-751", "WAC", 2023, 11)
    rng = with_rng(n)
    n.applicant_label = "Petitioner"
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "spaced"
    n.amount = "$750.00 U.S."
    n.body.insert(0, I751_EXTENSION)
    return n


def i797c_receipt_i129_wac_legacy() -> Notice:
    n = receipt("i797c-receipt-i129-wac-legacy", "I-797C", "I-129", "WAC", 2006, 4)
    rng = with_rng(n)
    n.layout = "legacy"
    n.applicant_label = "Petitioner"
    n.applicant = rng.choice(fd.COMPANIES)
    n.beneficiary = fd.boxed_name(fd.person(rng))
    r = n.receipt
    n.receipt_printed = f"{r[:3]}-{r[3:5]}-{r[5:8]}-{r[8:]}"
    n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
    n.amount = "$320.00"
    n.section = "Temporary worker in a specialty occupation"
    return n


def i797c_rejection_i131_nbc() -> Notice:
    n = receipt("i797c-rejection-i131-nbc", "I-797C", "I-131", "NBC", 2021, 6,
                notice_type="Rejection Notice")
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "spaced"
    n.body = list(REJECTION_BODY)
    return n


def i797c_transfer_i539_ysc() -> Notice:
    n = receipt("i797c-transfer-i539-ysc", "I-797C", "I-539", "YSC", 2022, 2,
                notice_type="Transfer Notice")
    rng = with_rng(n)
    n.notice_date = fd.weekday_after(n.received, 70)
    n.body = [TRANSFER_BODY[0].format(to="California Service Center")]
    n.office = "WAC"
    return n


def i797c_biometrics_i485_msc_legacy() -> Notice:
    n = receipt("i797c-biometrics-i485-msc-legacy", "I-797C", "I-485", "MSC", 2020, 1,
                notice_type="ASC Appointment Notice")
    rng = with_rng(n)
    n.layout = "legacy"
    n.applicant_label = "Applicant"
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "hash_dashed"
    n.received = dt.date(2020, 1, 13)
    n.receipt = fd.receipt_number(rng, "MSC", n.received)
    n.notice_date = dt.date(2020, 2, 11)
    city = rng.choice(fd.CITIES)
    n.appointment = Appointment("biometrics", dt.date(2020, 3, 4), "10:00 AM", [
        f"USCIS {city[0]}", f"{rng.randint(100, 9000)} {rng.choice(fd.STREETS)} STE {rng.randint(1, 3)}10",
        f"{city[0]} {city[1]} {city[2]}{rng.randint(10, 99)}"])
    n.body = list(BIOMETRICS_BODY)
    return n


def i797c_biometrics_i589_zar() -> Notice:
    n = receipt("i797c-biometrics-i589-zar", "I-797C", "I-589", "ZAR", 2022, 9,
                notice_type="Biometrics Appointment Notice")
    rng = with_rng(n)
    n.receipt = "ZAR" + "".join(str(rng.randint(0, 9)) for _ in range(10))
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "spaced"
    when = fd.weekday_after(n.notice_date, 23)
    n.appointment = Appointment("biometrics", when, "01:00 PM", [
        "USCIS ARLINGTON ASC", f"{rng.randint(100, 3000)} {rng.choice(fd.STREETS)}",
        "ARLINGTON VA 22203"])
    n.body = list(BIOMETRICS_BODY)
    return n


def i797c_receipt_i589_zny_9digit() -> Notice:
    n = receipt("i797c-receipt-i589-zny-9digit", "I-797C", "I-589", "ZNY", 2021, 7)
    rng = with_rng(n)
    n.receipt = fd.receipt_number(rng, "ZNY", n.received, digits=9)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "plain"
    n.amount = "$0.00 U.S."
    return n


def i797c_interview_i485_msc() -> Notice:
    n = receipt("i797c-interview-i485-msc", "I-797C", "I-485", "MSC", 2019, 10,
                notice_type="Request for Applicant to Appear for Initial Interview")
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "hash_spaced"
    n.notice_date = fd.weekday_after(n.received, 180)
    when = fd.weekday_after(n.notice_date, 35)
    n.appointment = Appointment("interview", when, "09:20 AM",
                                fd.SERVICE_CENTER_ADDRESS["ATL"][:])
    n.office = "ATL"
    n.body = list(INTERVIEW_BODY)
    return n


def i797c_reopen_i485_nyc() -> Notice:
    n = receipt("i797c-reopen-i485-nyc", "I-797C", "I-485", "NYC", 2023, 3,
                notice_type="Re-open Notice")
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "spaced"
    n.notice_date = fd.weekday_after(n.received, 240)
    n.body = list(REOPEN_BODY)
    return n


def i797_approval_i130_lin() -> Notice:
    n = receipt("i797-approval-i130-lin", "I-797", "I-130", "LIN", 2020, 2,
                notice_type="Approval Notice")
    rng = with_rng(n)
    pet, ben = fd.person(rng), fd.person(rng)
    n.applicant_label = "Petitioner"
    n.applicant = fd.boxed_name(pet)
    n.beneficiary = fd.boxed_name(ben)
    n.beneficiary_a = fd.a_number_digits(rng)
    n.a_style = "dashed"
    n.notice_date = fd.weekday_after(n.received, 300)
    n.mail_to = mail_block(rng, fd.mail_name(pet), True)
    n.section = "Unmarried son or daughter of U.S. citizen, 203(a)(1) INA"
    n.priority = n.received
    n.body = list(APPROVAL_I130)
    return n


def i797a_approval_i129_wac() -> Notice:
    n = receipt("i797a-approval-i129-wac", "I-797A", "I-129", "WAC", 2023, 4,
                notice_type="Approval Notice")
    rng = with_rng(n)
    ben = fd.person(rng)
    n.applicant_label = "Petitioner"
    n.applicant = rng.choice(fd.COMPANIES)
    n.beneficiary = fd.boxed_name(ben)
    n.notice_date = fd.weekday_after(n.received, 60)
    n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
    n.klass = "H1B"
    n.valid_from = dt.date(2023, 10, 1)
    n.valid_until = dt.date(2026, 9, 30)
    n.body = list(APPROVAL_I797A)
    n.i94 = {"number": fd.i94_number(rng), "family": ben[0], "given": ben[1],
             "birth": f"0{rng.randint(1, 9)}/{rng.randint(10, 28)}/19{rng.randint(80, 99)}",
             "country": rng.choice(["INDIA", "BRAZIL", "NIGERIA", "PHILIPPINES", "POLAND"])}
    return n


def i797b_approval_i129_eac() -> Notice:
    n = receipt("i797b-approval-i129-eac", "I-797B", "I-129", "EAC", 2022, 4,
                notice_type="Approval Notice")
    rng = with_rng(n)
    n.applicant_label = "Petitioner"
    n.applicant = rng.choice(fd.COMPANIES)
    n.beneficiary = fd.boxed_name(fd.person(rng))
    n.notice_date = fd.weekday_after(n.received, 45)
    n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
    n.klass = "H1B"
    n.valid_from = dt.date(2022, 10, 1)
    n.valid_until = dt.date(2025, 9, 15)
    n.body = list(APPROVAL_I797B)
    return n


def i797_approval_i140_src() -> Notice:
    n = receipt("i797-approval-i140-src", "I-797", "I-140", "SRC", 2021, 11,
                notice_type="Approval Notice")
    rng = with_rng(n)
    n.applicant_label = "Petitioner"
    n.applicant = rng.choice(fd.COMPANIES)
    n.beneficiary = fd.boxed_name(fd.person(rng))
    n.beneficiary_a = fd.a_number_digits(rng)
    n.a_style = "hash_spaced"
    n.priority = dt.date(2021, 3, 22)
    n.notice_date = fd.weekday_after(n.received, 130)
    n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
    n.section = "Member of professions w/adv degree or of exceptional ability, Sec.203(b)(2)"
    n.body = list(APPROVAL_I140)
    return n


def i797d_approval_i765_ioe() -> Notice:
    n = receipt("i797d-approval-i765-ioe", "I-797D", "I-765", "IOE", 2024, 2,
                notice_type="Approval Notice")
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "spaced"
    n.account = fd.account_number(rng)
    n.notice_date = fd.weekday_after(n.received, 95)
    n.klass = "C09"
    n.valid_from = n.notice_date
    n.valid_until = dt.date(n.notice_date.year + 5, n.notice_date.month, n.notice_date.day) - dt.timedelta(days=1)
    n.body = list(APPROVAL_I765)
    return n


def i797e_rfe_i129_vsc() -> Notice:
    n = receipt("i797e-rfe-i129-vsc", "I-797E", "I-129", "VSC", 2019, 5,
                notice_type="Request for Evidence")
    rng = with_rng(n)
    n.applicant_label = "Petitioner"
    n.applicant = rng.choice(fd.COMPANIES)
    n.beneficiary = fd.boxed_name(fd.person(rng))
    n.notice_date = fd.weekday_after(n.received, 50)
    n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
    due = fd.weekday_after(n.notice_date, 87)
    n.body = [RFE_BODY[0].format(due=fd.letter_date(due)), RFE_BODY[1]]
    n.page2_body = list(RFE_PAGE2)
    return n


def i797c_premium_i129_lin() -> Notice:
    n = receipt("i797c-premium-i129-lin", "I-797C", "I-129", "LIN", 2024, 3,
                notice_type="Premium Processing Receipt Notice")
    rng = with_rng(n)
    n.applicant_label = "Petitioner"
    n.applicant = rng.choice(fd.COMPANIES)
    n.beneficiary = fd.boxed_name(fd.person(rng))
    n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
    n.amount = "$2,805.00 U.S."
    n.section = "Temporary worker in a specialty occupation"
    n.body = list(PREMIUM_BODY)
    return n


def receipt_i90_msc_upper_ext() -> Notice:
    n = receipt("notice-upper-ext", "I-797C", "I-90", "MSC", 2022, 10)
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "spaced"
    n.amount = "$540.00 U.S."
    return n


def receipt_i130_garcia() -> Notice:
    n = receipt("notificacion-garcia", "I-797C", "I-130", "WAC", 2024, 6)
    rng = with_rng(n)
    n.applicant_label = "Petitioner"
    n.applicant = "GARCIA VILLASANTE, LUCIA"
    n.beneficiary = "GARCIA VILLASANTE, MATEO"
    n.beneficiary_a = fd.a_number_digits(rng)
    n.a_style = "hash_spaced"
    n.mail_to = mail_block(rng, "LUCIA GARCIA VILLASANTE", False)
    n.amount = "$675.00 U.S."
    n.section = "Brother or sister of U.S. citizen, 203(a)(4) INA"
    return n


def receipt_i131_embedded_font() -> Notice:
    n = receipt("i797c-receipt-i131-embedded-font", "I-797C", "I-131", "EAC", 2023, 8)
    rng = with_rng(n)
    n.applicant_a = fd.a_number_digits(rng)
    n.a_style = "hash_dashed"
    n.amount = "$630.00 U.S."
    n.section = "Advance parole"
    return n


def receipt_i130_printed() -> Notice:
    n = receipt("i797c-receipt-i130-office-printer", "I-797C", "I-130", "IOE", 2024, 1)
    rng = with_rng(n)
    pet, ben = fd.person(rng), fd.person(rng)
    n.applicant_label = "Petitioner"
    n.applicant = fd.boxed_name(pet)
    n.beneficiary = fd.boxed_name(ben)
    n.beneficiary_a = f"0{rng.randint(10000000, 99999999)}"
    n.a_style = "compact8"
    n.account = fd.account_number(rng)
    n.mail_to = mail_block(rng, fd.mail_name(pet), True)
    n.amount = "$625.00 U.S."
    n.section = "Parent of U.S. citizen, 201(b) INA"
    return n


# --- notices for scans, stacks, images and photos -----------------------------------------------

APPROVAL_BODY = {"I-130": APPROVAL_I130, "I-140": APPROVAL_I140, "I-765": APPROVAL_I765,
                 "I-129": APPROVAL_I797B}
GENERIC_APPROVAL = [
    "The above application has been approved. Please keep this notice with your records; it shows "
    "the action we took on your case. If any of the information above is wrong, contact us at once.",
]


def quick(seed: str, form: str, notice_type: str, case_type: str, prefix: str, year: int, month: int,
          *, a_style: str = "spaced", layout: str = "modern", account: bool = False,
          valid: tuple[dt.date, dt.date] | None = None, klass: str | None = None,
          priority: dt.date | None = None, digits: int = 10, pages: int = 1,
          beneficiary_a: bool = False) -> Notice:
    """A notice for the image samples: people and parties chosen to suit the case type, the body
    to suit the notice type."""
    n = receipt(seed, form, case_type, prefix, year, month, notice_type=notice_type, layout=layout)
    rng = with_rng(n)
    if digits != 10:
        n.receipt = fd.receipt_number(rng, prefix, n.received, digits=digits)
    n.a_style = a_style
    if case_type in ("I-129", "I-140"):
        n.applicant_label = "Petitioner"
        n.applicant = rng.choice(fd.COMPANIES)
        n.beneficiary = fd.boxed_name(fd.person(rng))
        n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
        if beneficiary_a:
            n.beneficiary_a = fd.a_number_digits(rng)
    elif case_type == "I-130":
        pet, ben = fd.person(rng), fd.person(rng)
        n.applicant_label = "Petitioner"
        n.applicant = fd.boxed_name(pet)
        n.beneficiary = fd.boxed_name(ben)
        n.mail_to = mail_block(rng, fd.mail_name(pet), rng.random() < 0.5)
        if beneficiary_a:
            n.beneficiary_a = fd.a_number_digits(rng)
    else:
        n.applicant_a = fd.a_number_digits(rng)
    if account:
        n.account = fd.account_number(rng)
    n.priority = priority
    n.klass = klass
    if valid:
        n.valid_from, n.valid_until = valid
    if notice_type == "Receipt Notice":
        n.amount = rng.choice(["$535.00 U.S.", "$675.00 U.S.", "$470.00 U.S.", "$1,440.00 U.S."])
    elif notice_type == "Approval Notice":
        n.notice_date = fd.weekday_after(n.received, rng.randint(60, 300))
        n.body = list(APPROVAL_BODY.get(case_type, GENERIC_APPROVAL))
    elif notice_type == "Request for Evidence":
        n.notice_date = fd.weekday_after(n.received, rng.randint(40, 90))
        due = fd.weekday_after(n.notice_date, 87)
        n.body = [RFE_BODY[0].format(due=fd.letter_date(due)), RFE_BODY[1]]
        if pages == 2:
            n.page2_body = list(RFE_PAGE2)
    elif notice_type in ("ASC Appointment Notice", "Biometrics Appointment Notice"):
        city = rng.choice(fd.CITIES)
        n.appointment = Appointment("biometrics", fd.weekday_after(n.notice_date, 21),
                                    rng.choice(["08:00 AM", "09:00 AM", "11:00 AM", "02:00 PM"]), [
            f"USCIS {city[0]}", f"{rng.randint(100, 9000)} {rng.choice(fd.STREETS)}",
            f"{city[0]} {city[1]} {city[2]}{rng.randint(10, 99)}"])
        n.body = list(BIOMETRICS_BODY)
    elif notice_type == "Request for Applicant to Appear for Initial Interview":
        n.notice_date = fd.weekday_after(n.received, rng.randint(150, 300))
        n.appointment = Appointment("interview", fd.weekday_after(n.notice_date, 30), "10:40 AM",
                                    fd.SERVICE_CENTER_ADDRESS["ATL"][:])
        n.office = "ATL"
        n.body = list(INTERVIEW_BODY)
    elif notice_type == "Transfer Notice":
        n.notice_date = fd.weekday_after(n.received, rng.randint(30, 90))
        n.body = [TRANSFER_BODY[0].format(to="Nebraska Service Center")]
    if n.receipt[:3] not in fd.SERVICE_CENTER_ADDRESS and n.office is None:
        n.office = "MSC"
    return n


def i797_approval_i129_legacy_2pages() -> Notice:
    n = receipt("i797-approval-i129-legacy-2pages", "I-797", "I-129", "EAC", 2008, 3,
                notice_type="Approval Notice")
    rng = with_rng(n)
    n.layout = "legacy"
    n.applicant_label = "Petitioner"
    n.applicant = rng.choice(fd.COMPANIES)
    n.beneficiary = fd.boxed_name(fd.person(rng))
    n.beneficiary_a = fd.a_number_digits(rng)
    n.a_style = "hash_dashed"
    n.notice_date = fd.weekday_after(n.received, 75)
    n.mail_to = [n.applicant, "c/o " + rng.choice(fd.LAW_FIRMS)] + fd.firm_address(rng)
    n.klass = "H1B"
    n.valid_from = dt.date(2008, 10, 1)
    n.valid_until = dt.date(2011, 9, 10)
    n.body = list(APPROVAL_I797B)
    n.page2_body = [
        "THE PETITIONER AND THE BENEFICIARY SHOULD READ THE FOLLOWING.",
        "The approval of this petition does not by itself give the beneficiary permission to enter "
        "the United States. The beneficiary must apply for a visa at a U.S. consulate and must be "
        "admitted by an immigration officer at a port of entry.",
        "If the beneficiary's employment ends before the date shown on the front of this notice, "
        "the petitioner must tell the office that approved the petition and may be responsible for "
        "the reasonable cost of the beneficiary's return transportation.",
    ]
    return n
