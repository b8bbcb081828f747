"""A realistic, deterministic demo company in CharlieHR's raw shapes.

The same ``(size, seed, today)`` always gives the same company. It has what real
data has: countries written as names (and the odd code or unknown), leavers with
past end dates whose status text still says active, future starters, mobile numbers
with and without a country code, missing personal emails, salary histories with a
future-dated raise, teams, offices and a management chain, and the sensitive keys
CharlieHR's raw API carries (NI number, payroll id, bank details, …), all fake:
``acme.test`` emails, Ofcom drama phone numbers, ``QQ`` NI numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from reconciler.domain.json import Json
from reconciler.sandbox.charliehr import CharlieHRData

# fmt: off
FIRST = (
    "Amara", "Tom", "Lise", "Ada", "Max", "Chiara", "Kwame", "Ingrid", "Mateo", "Priya",
    "Yusuf", "Hana", "Oliver", "Sofia", "Lukas", "Emma", "Noah", "Mia", "Leon", "Zoe",
    "Omar", "Freya", "Ravi", "Elena", "Jonas", "Aisha", "Felix", "Nina", "Samuel", "Clara",
    "Hugo", "Maya", "Arjun", "Lea", "Theo", "Ines", "Kenji", "Alba", "Tariq", "Greta",
    "Louis", "Nadia", "Erik", "Rosa", "Ibrahim", "Marta", "Dev", "Julia", "Pablo", "Anya",
)
# fmt: on
# fmt: off
LAST = (
    "Okafor", "Hughes", "Meitner", "Lovelace", "Born", "Rossi", "Mensah", "Larsen",
    "Garcia", "Sharma", "Demir", "Sato", "Smith", "Muller", "Martin", "Dubois", "Schmidt",
    "Jones", "Fischer", "Bernard", "Weber", "Taylor", "Moreau", "Wagner", "Brown",
    "Laurent", "Becker", "Wilson", "Lefevre", "Hoffmann", "Evans", "Fontaine", "Koch",
    "Walker", "Girard", "Richter", "Wright", "Bonnet", "Klein", "Green", "Mercier", "Wolf",
    "Hall", "Lambert", "Neumann", "Clarke", "Faure", "Schwarz", "Baker", "Nguyen",
)
# fmt: on

# (written as, share, cities, phone prefix with country code, without)
COUNTRIES: tuple[tuple[str | None, float, tuple[str, ...], str, str], ...] = (
    ("United Kingdom", 0.40, ("London", "Manchester", "Leeds"), "+44 7700 900", "07700 900"),
    ("Germany", 0.18, ("Berlin", "Hamburg", "Munich"), "+49 151 2345", "0151 2345"),
    ("France", 0.10, ("Paris", "Lyon"), "+33 6 12 34 5", "06 12 34 5"),
    ("GB", 0.07, ("Bristol", "Glasgow"), "+44 7700 900", "07700 900"),
    ("Deutschland", 0.05, ("Cologne",), "+49 151 2345", "0151 2345"),
    ("Spain", 0.06, ("Madrid", "Barcelona"), "+34 612 34", "612 34"),
    ("United States", 0.06, ("New York", "Austin"), "+1 202 555 0", "202 555 0"),
    ("Netherlands", 0.04, ("Amsterdam",), "+31 6 1234 5", "06 1234 5"),
    (None, 0.035, ("London",), "+44 7700 900", "07700 900"),
    ("Atlantis", 0.005, ("Poseidonia",), "+44 7700 900", "07700 900"),
)
TEAMS = ("Engineering", "Product", "Design", "Sales", "Operations", "Finance", "People")
TITLES = {
    "Engineering": ("Software Engineer", "Senior Engineer", "Staff Engineer"),
    "Product": ("Product Manager", "Senior Product Manager"),
    "Design": ("Product Designer", "Design Lead"),
    "Sales": ("Account Executive", "Sales Lead"),
    "Operations": ("Operations Manager", "Office Manager"),
    "Finance": ("Accountant", "Finance Manager"),
    "People": ("People Partner", "Recruiter"),
}
OFFICES = (
    ("of_london", "London HQ"),
    ("of_berlin", "Berlin"),
    ("of_paris", "Paris"),
    ("of_remote", "Remote"),
)
STREETS = ("High Street", "Station Road", "Mill Lane", "Church Road", "Park Avenue", "Kingsway")
CURRENCIES = {
    "Germany": "EUR",
    "Deutschland": "EUR",
    "France": "EUR",
    "Spain": "EUR",
    "Netherlands": "EUR",
    "United States": "USD",
}
COMPANY: Json = {"id": "co_acme", "name": "Acme Ltd", "subdomain": "acme", "logo": None}


@dataclass(frozen=True)
class DemoShape:
    """Shares of the company that make it interesting (each 0..1)."""

    leavers: float = 0.08
    future_starters: float = 0.04
    no_personal_email: float = 0.25
    local_phone: float = 0.15
    no_phone: float = 0.1
    future_raise: float = 0.1
    contractors: float = 0.12


def generate_company(
    size: int, *, seed: int = 7, today: date, shape: DemoShape | None = None
) -> CharlieHRData:
    """Make a company of ``size`` team members (10 to 100,000), reproducibly."""
    if not 0 <= size <= 100_000:
        raise ValueError("the demo company has 0 to 100,000 team members")
    rng = random.Random(seed)
    made = _Maker(rng, today, shape or DemoShape())
    members = [made.member(i) for i in range(size)]
    made.assign_managers(members)
    made.blemish(members)
    salaries = [s for m in members for s in made.salaries(m)]
    team_members: dict[str, list[str]] = {_team_id(t): [] for t in TEAMS}
    for member in members:
        for team_id in member["teams"]:
            team_members[team_id].append(member["id"])
    teams = [
        {"id": _team_id(t), "name": t, "team_members": team_members[_team_id(t)]} for t in TEAMS
    ]
    offices = [
        {
            "id": oid,
            "name": name,
            "head": oid == "of_london",
            "address": f"1 {name} Yard",
            "timezone": "Europe/London",
            "phone_number": "+44 20 7946 0000",
            "email": f"{oid}@acme.test",
        }
        for oid, name in OFFICES
    ]
    return CharlieHRData(dict(COMPANY), members, salaries, teams, offices)


def _team_id(team: str) -> str:
    return f"tk_{team.lower()}"


class _Maker:
    def __init__(self, rng: random.Random, today: date, shape: DemoShape) -> None:
        self.rng = rng
        self.today = today
        self.shape = shape
        self.emails: dict[str, int] = {}

    def member(self, index: int) -> Json:
        rng, shape = self.rng, self.shape
        first, last = rng.choice(FIRST), rng.choice(LAST)
        written, cities, with_cc, local = _country(rng)
        start, end, status = self._dates()
        team = TEAMS[index % len(TEAMS)] if index < len(TEAMS) else rng.choice(TEAMS)
        extra_team = [_team_id(rng.choice(TEAMS))] if rng.random() < 0.1 else []
        phone_roll = rng.random()
        phone = (
            None
            if phone_roll < shape.no_phone
            else f"{local}{rng.randrange(1000):03d}"
            if phone_roll < shape.no_phone + shape.local_phone
            else f"{with_cc}{rng.randrange(1000):03d}"
        )
        return {
            "id": f"tm_{index:06d}",
            "first_name": first,
            "last_name": last,
            "display_name": f"{first} {last}",
            "email": self._email(first, last),
            "personal_email": None
            if rng.random() < shape.no_personal_email
            else f"{first.lower()}{rng.randrange(100)}@mail.example",
            "phone_number": phone,
            "job_title": rng.choice(TITLES[team]),
            "gender": rng.choice(("female", "male", "non-binary", None)),
            "married": rng.choice((True, False, None)),
            "date_of_birth": (date(1965, 1, 1) + timedelta(days=rng.randrange(13000))).isoformat(),
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else None,
            "employment_status": status,
            "office": rng.choice(OFFICES)[0],
            "line_manager": None,
            "teams": sorted({_team_id(team), *extra_team}),
            "address_line_1": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
            "address_line_2": rng.choice((None, None, f"Flat {rng.randrange(1, 30)}")),
            "city": rng.choice(cities),
            "county": None,
            "postcode": f"{rng.choice('ENSW')}{rng.randrange(1, 20)} {rng.randrange(1, 9)}AA",
            "country": written,
            "profile_picture": None,
            "cost_centre": f"CC-{100 + TEAMS.index(team)}",
            "health_insurance_tier": rng.choice(("bronze", "silver", "gold")),
            # Sensitive keys the raw API carries; the client must drop them all.
            "national_insurance_number": f"QQ{rng.randrange(10**6):06d}C",
            "payroll_id": f"P-{index:05d}",
            "starter_declaration": rng.choice(("A", "B", "C")),
            "student_loan_plan": rng.choice((None, "plan_1", "plan_2")),
            "bank_account_number": f"{rng.randrange(10**8):08d}",
            "sort_code": "000000",
            "ethnicity": "prefer not to say",
            "notes": [],
        }

    def _dates(self) -> tuple[date, date | None, str]:
        rng, today = self.rng, self.today
        roll = rng.random()
        if roll < self.shape.future_starters:
            start = today + timedelta(days=rng.randrange(7, 90))
            return start, None, rng.choice(("pending", "active"))
        start = today - timedelta(days=rng.randrange(60, 3000))
        if roll < self.shape.future_starters + self.shape.leavers:
            end = min(today - timedelta(days=1), start + timedelta(days=rng.randrange(30, 2000)))
            # The status text often lags: a past end date is what makes a leaver.
            return start, end, rng.choice(("inactive", "active"))
        return start, None, "active"

    def _email(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower()
        count = self.emails.get(base, 0)
        self.emails[base] = count + 1
        return f"{base}{count + 1 if count else ''}@acme.test"

    def blemish(self, members: list[Json]) -> None:
        """Data-entry slips real HR data has: a missing work email, one used twice."""
        if len(members) < 50:
            return
        for member in members[10 :: max(1, len(members) // 3)]:
            member["email"] = None
        twins = members[-2:]
        for twin in twins:
            twin |= {"country": "United Kingdom", "end_date": None, "email": twins[0]["email"]}

    def assign_managers(self, members: list[Json]) -> None:
        """The first member is the CEO; the first of each team leads it."""
        if not members:
            return
        leads: dict[str, str] = {}
        for member in members[1:]:
            team = member["teams"][0]
            if team not in leads:
                leads[team] = member["id"]
                member["line_manager"] = members[0]["id"]
            else:
                member["line_manager"] = leads[team]

    def salaries(self, member: Json) -> list[Json]:
        rng, shape = self.rng, self.shape
        start = date.fromisoformat(member["start_date"])
        kind = "contractor" if rng.random() < shape.contractors else "permanent"
        currency = CURRENCIES.get(member["country"], "GBP")
        rate = float(
            rng.randrange(28, 140) * 1000 if kind == "permanent" else rng.randrange(300, 900)
        )
        records = [(start, rate)]
        if (self.today - start).days > 400:
            records.append((start + timedelta(days=365), round(rate * 1.05, -2)))
        if rng.random() < shape.future_raise and not member["end_date"]:
            records.append((self.today + timedelta(days=rng.randrange(10, 120)), rate * 1.1))
        return [
            {
                "id": f"sal_{member['id'][3:]}_{n}",
                "team_member": member["id"],
                "job_title": member["job_title"],
                "pay_rate": round(amount, 2),
                "pay_period": "annual" if kind == "permanent" else "daily",
                "pay_frequency": "monthly",
                "pay_currency": currency,
                "effective_date": when.isoformat(),
                "employment_type": kind,
            }
            for n, (when, amount) in enumerate(records)
        ]


def _country(rng: random.Random) -> tuple[str | None, tuple[str, ...], str, str]:
    roll, total = rng.random(), 0.0
    for written, share, cities, with_cc, local in COUNTRIES:
        total += share
        if roll < total:
            return written, cities, with_cc, local
    written, _, cities, with_cc, local = COUNTRIES[0]
    return written, cities, with_cc, local
