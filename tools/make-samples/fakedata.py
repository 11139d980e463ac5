"""Invented people, firms, addresses and numbers for the fake notices.

Every name here was made up for these samples (surname and given-name lists are combined at
random); street addresses are invented; phone numbers use the 555-01xx fiction range. Receipt and
case numbers follow the real structure (prefix, fiscal year, workday, sequence) with random digits.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib

SURNAMES = [
    "MARKOWIN", "OKONJO-BRAY", "VANTERPOOL", "ALDERETE", "SZCZEPANIK", "HALLORAN-OYE",
    "TORRESDAL", "BRIGHTWATER", "KAMINSKY-RUIZ", "OYELARAN", "LINDQVIST", "FAIRCLOTH",
    "ESPINOZA-LAKE", "MWANGI-HOLT", "RAVENSCROFT", "ICHIKAWA-BELL", "SOLIS-MARTEL",
    "BAPTISTE-NOON", "THORNEWOOD", "CASTELLAN", "VORONOVA", "PELLETIER-AMSEL", "ZHUANG-MOREAU",
    "ADEYEMI-CROSS", "NAKASHIMA-PRYOR", "QUINTANILLA", "DEVEREUX-OBI", "HOLMGRAVE", "ARRIBAS-TELL",
    "KOWALCZE", "MENDIBURU", "ACHTERBERG", "OSEI-LANGFORD", "VILLASANTE", "TRUONG-ELLIS",
    "BERGSTROMER", "FONTANILLA", "RAJAPAKSE-DORN", "OCAMPO-REYES", "SANTORELLI",
]
GIVEN = [
    "ELSA", "TOMAS", "MARISOL", "IFEOMA", "RAMON", "YUKI", "DMITRI", "AROHA", "LUCIA", "BEATRIZ",
    "KOFI", "SAANVI", "MATEO", "ILSE", "NOOR", "THANH", "PRIYA", "OSKAR", "FARAH", "LEANDRO",
    "MEI", "SIOBHAN", "ANIKA", "RASHID", "CORENTIN", "HALIMA", "JOAQUIN", "TEODORA", "WENDELL",
    "AMARA", "BRANIMIR", "CELESTE", "DARIUS", "ESPERANZA", "FINNEGAN", "GRACIELA",
]
COMPANIES = [
    "NORTHWIND ANALYTICS LLC", "BLUE HERON BIOLABS INC", "QUARRYSTONE SOFTWARE CORP",
    "PINEGROVE MEDICAL GROUP PC", "TALLGRASS ROBOTICS INC", "SILVERBIRCH LOGISTICS LLC",
    "LANTERNFISH DATA SYSTEMS INC", "CEDARPOINT ENGINEERING LLP",
]
LAW_FIRMS = [
    "HALVERSEN ODUYA & PARK LLP", "MEIRELES TANAKA IMMIGRATION LAW PC",
    "BROOKFIELD-AMARA LAW GROUP", "CORTADO & VANCE LLP", "STILLWATER IMMIGRATION COUNSEL PLLC",
]
ATTORNEYS = [
    "Priya Castellanos-Wren", "Jonah Okereke-Vail", "Marguerite Solberg", "Tobias Anand-Reyes",
    "Celia Dunmore", "Rafferty Osei",
]
STREETS = [
    "ELDERBERRY CT", "QUILLMORE AVE", "HARBORVIEW AVE", "BRAMBLE LN", "COPPERLEAF PKWY",
    "WINTERHAVEN DR", "LARKSPUR WAY", "OLD MILLRACE RD", "TAMARACK ST", "FERNHOLLOW BLVD",
    "GRISTMILL RD", "SANDPIPER CIR", "ORCHARD KNOLL DR", "BLUESTEM AVE",
]
CITIES = [
    ("SPRINGFIELD", "IL", "627"), ("RIVERTON", "WY", "825"), ("FAIRVIEW", "TX", "750"),
    ("GREENVILLE", "SC", "296"), ("CLINTON", "NJ", "088"), ("MADISON", "WI", "537"),
    ("SALEM", "OR", "973"), ("ARLINGTON", "VA", "222"), ("FRANKLIN", "TN", "370"),
    ("OAKLAND", "CA", "946"), ("QUEENS", "NY", "113"), ("AURORA", "CO", "800"),
]

# Offices: the name is real; the street address and the phone numbers are invented.
SERVICE_CENTER_ADDRESS = {
    "EAC": ["USCIS", "VERMONT SERVICE CENTER", "38 RIVER BEND ROAD", "SAINT ALBANS VT 05479-0001"],
    "VSC": ["USCIS", "VERMONT SERVICE CENTER", "38 RIVER BEND ROAD", "SAINT ALBANS VT 05479-0001"],
    "WAC": ["USCIS", "CALIFORNIA SERVICE CENTER", "P.O. BOX 30199", "LAGUNA NIGUEL CA 92607-0199"],
    "LIN": ["USCIS", "NEBRASKA SERVICE CENTER", "P.O. BOX 82599", "LINCOLN NE 68501-2599"],
    "SRC": ["USCIS", "TEXAS SERVICE CENTER", "6046 N BELT LINE RD STE 900", "IRVING TX 75038-0001"],
    "MSC": ["USCIS", "NATIONAL BENEFITS CENTER", "P.O. BOX 648009", "LEE'S SUMMIT MO 64002"],
    "NBC": ["USCIS", "NATIONAL BENEFITS CENTER", "P.O. BOX 648009", "LEE'S SUMMIT MO 64002"],
    "IOE": ["USCIS", "ELECTRONIC IMMIGRATION SYSTEM", "P.O. BOX 5015", "WASHINGTON DC 20529-0001"],
    "YSC": ["USCIS", "POTOMAC SERVICE CENTER", "2200 POTOMAC AVE STE 410", "ARLINGTON VA 22202-0001"],
    "ZAR": ["USCIS", "ARLINGTON ASYLUM OFFICE", "1525 WILSON BLVD STE 300", "ARLINGTON VA 22209-0001"],
    "ZNY": ["USCIS", "NEW YORK ASYLUM OFFICE", "1200 VETERANS MEMORIAL HWY", "BETHPAGE NY 11714-0001"],
    "NYC": ["USCIS", "NEW YORK CITY FIELD OFFICE", "26 FEDERAL PLAZA RM 3-120", "NEW YORK NY 10278-0001"],
    "ATL": ["USCIS", "ATLANTA FIELD OFFICE", "2150 PARKLAKE DR NE", "ATLANTA GA 30345-0001"],
}
SERVICE_CENTER_ADDRESS["CSC"] = SERVICE_CENTER_ADDRESS["WAC"]
SERVICE_CENTER_ADDRESS["NSC"] = SERVICE_CENTER_ADDRESS["LIN"]
SERVICE_CENTER_ADDRESS["TSC"] = SERVICE_CENTER_ADDRESS["SRC"]
SERVICE_CENTER_ADDRESS["ZLA"] = ["USCIS", "LOS ANGELES ASYLUM OFFICE", "1585 E HOLLOWAY AVE STE 200",
                                 "TUSTIN CA 92780-0001"]
SERVICE_CENTER_ADDRESS["ZBO"] = ["USCIS", "BOSTON ASYLUM OFFICE", "70 KINGSLEY ST STE 400",
                                 "LAWRENCE MA 01843-0001"]
SERVICE_CENTER_ADDRESS["ZCH"] = ["USCIS", "CHICAGO ASYLUM OFFICE", "181 W MADRONE ST STE 800",
                                 "CHICAGO IL 60606-0001"]
CONTACT_CENTER = "800-555-0142"

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def rng_for(name: str) -> random.Random:
    """One generator per sample, seeded from its name, so adding a sample changes no other."""
    return random.Random(zlib.crc32(name.encode()))


def person(rng: random.Random) -> tuple[str, str]:
    """(surname, given name), both upper case as USCIS prints them."""
    return rng.choice(SURNAMES), rng.choice(GIVEN)


def boxed_name(p: tuple[str, str]) -> str:
    return f"{p[0]}, {p[1]}"


def mail_name(p: tuple[str, str]) -> str:
    return f"{p[1]} {p[0]}"


def address(rng: random.Random) -> list[str]:
    city, state, zip3 = rng.choice(CITIES)
    unit = rng.choice(["", "", f" APT {rng.randint(1, 40)}{rng.choice('ABCD')}", f" UNIT {rng.randint(100, 999)}"])
    return [f"{rng.randint(12, 9899)} {rng.choice(STREETS)}{unit}", f"{city} {state} {zip3}{rng.randint(10, 99)}"]


def firm_address(rng: random.Random) -> list[str]:
    city, state, zip3 = rng.choice(CITIES)
    return [f"{rng.randint(100, 2999)} {rng.choice(STREETS)} STE {rng.randint(2, 19)}00",
            f"{city} {state} {zip3}{rng.randint(10, 99)}"]


def fiscal_year(d: dt.date) -> int:
    return d.year + 1 if d.month >= 10 else d.year


def receipt_number(rng: random.Random, prefix: str, received: dt.date, digits: int = 10) -> str:
    """Prefix + 2-digit fiscal year + 3-digit workday + 5-digit sequence (see uscis-notices.md)."""
    if prefix == "IOE":
        return "IOE" + "".join(str(rng.randint(0, 9)) for _ in range(10))
    if digits != 10:
        return prefix + "".join(str(rng.randint(0, 9)) for _ in range(digits))
    fy = fiscal_year(received) % 100
    fy_start = dt.date(fiscal_year(received) - 1, 10, 1)
    workday = min(260, max(1, int((received - fy_start).days * 5 / 7)))
    if rng.random() < 0.25:
        workday = rng.randint(900, 915)  # the 9xx series: not a day count
    return f"{prefix}{fy:02d}{workday:03d}{rng.randint(10000, 99999):05d}"


def nvc_case_number(rng: random.Random, post: str, created: dt.date) -> str:
    """Post + calendar year + (day of year + 500) + 3-digit daily sequence."""
    day = created.timetuple().tm_yday + 500
    return f"{post}{created.year}{day:03d}{rng.randint(1, 120):03d}"


def a_number_digits(rng: random.Random) -> str:
    return f"{rng.randint(1, 249999999):09d}"


def a_number_printed(digits9: str, style: str) -> str:
    """The ways an A-number is printed; `digits9` is the canonical 9 digits."""
    d = digits9
    if style == "spaced":  # A012 345 678
        return f"A{d[0:3]} {d[3:6]} {d[6:9]}"
    if style == "hash_dashed":  # A# 012-345-678
        return f"A# {d[0:3]}-{d[3:6]}-{d[6:9]}"
    if style == "hash_spaced":  # A# 234 567 890
        return f"A# {d[0:3]} {d[3:6]} {d[6:9]}"
    if style == "compact8":  # A12345678 (leading zero dropped)
        return "A" + d.lstrip("0").rjust(8, "0")
    if style == "dashed":  # A-123-456-789
        return f"A-{d[0:3]}-{d[3:6]}-{d[6:9]}"
    if style == "plain":
        return "A" + d
    raise ValueError(style)


def account_number(rng: random.Random) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(12))


def i94_number(rng: random.Random) -> str:
    """Since May 2019: 9 digits, a letter, a digit."""
    return f"{rng.randint(100000000, 999999999)}{rng.choice('ABCDEFGHJKMNPRTX')}{rng.randint(0, 9)}"


def box_date(d: dt.date | None) -> str:
    return d.strftime("%m/%d/%Y") if d else ""


def iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def long_date(d: dt.date) -> str:
    """`Wednesday, March 4, 2020`, as appointment notices print it."""
    return f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}"


def letter_date(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def weekday_after(d: dt.date, days: int) -> dt.date:
    out = d + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out
