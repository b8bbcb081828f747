"""The canonical HR field catalogue and the CharlieHR raw-key table.

One place answers three questions for every HR field: what it is called in our
config and plans, whether its value is personal (masked in anything public: PR
comments, issues, job summaries, logs), and which raw CharlieHR key feeds it.

The raw key names are mostly unconfirmed (CharlieHR's reference could not be
read); each carries the confidence of the sources it was inferred from.
``hris.field_keys`` in the config overrides any entry, so a mismatch with the live API is a one-line
config fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "number", "email", "phone", "country", "status"]
Confidence = Literal["confirmed", "likely", "guess"]
Resource = Literal["team_member", "salary", "team", "office", "company"]


@dataclass(frozen=True, slots=True)
class CanonicalField:
    """One HR field as the engine, config and plans know it."""

    name: str
    title: str
    kind: Kind
    personal: bool
    raw_role: str | None
    """Role in :data:`CHARLIEHR_KEYS` that feeds it; ``None`` when derived."""


@dataclass(frozen=True, slots=True)
class RawKey:
    """One raw CharlieHR key, where it is read, and how sure we are of its name."""

    role: str
    key: str
    resource: Resource
    confidence: Confidence
    note: str


_F = CanonicalField

FIELDS: tuple[CanonicalField, ...] = (
    _F("work_email", "Work email", "email", False, "work_email"),
    _F("personal_email", "Personal email", "email", True, "personal_email"),
    _F("first_name", "First name", "text", False, "first_name"),
    _F("last_name", "Last name", "text", False, "last_name"),
    _F("name", "Name", "text", False, "display_name"),
    _F("address_line_1", "Address line 1", "text", True, "address_line_1"),
    _F("address_line_2", "Address line 2", "text", True, "address_line_2"),
    _F("zip_code", "ZIP code", "text", True, "zip_code"),
    _F("city", "City", "text", True, "city"),
    _F("country", "Country", "country", True, "country"),
    _F("birthdate", "Birthdate", "date", True, "birthdate"),
    _F("start_date", "Start date", "date", False, "start_date"),
    _F("termination_date", "Termination date", "date", False, "termination_date"),
    _F("employment_status", "Employment status", "status", False, "employment_status"),
    _F("employment_type", "Employment type", "text", False, "employment_type"),
    _F("pay_rate", "Pay rate", "number", True, "pay_rate"),
    _F("pay_period", "Pay period", "text", True, "pay_period"),
    _F("pay_currency", "Pay currency", "text", True, "pay_currency"),
    _F("team", "Team", "text", False, "teams"),
    _F("office", "Office", "text", False, "office"),
    _F("entity", "Entity", "text", False, "legal_entity"),
    _F("job_title", "Job title", "text", False, "job_title"),
    _F("manager", "Manager", "text", False, "manager"),
    _F("mobile_phone", "Mobile phone", "phone", True, "mobile_phone"),
    _F("gender", "Gender", "text", True, "gender"),
)

CATALOGUE: dict[str, CanonicalField] = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(CATALOGUE)

EMPLOYMENT_STATUSES: tuple[str, ...] = ("active", "pending", "inactive")
OPTIONAL_FIELDS: tuple[str, ...] = ("manager", "mobile_phone", "pay_rate")
RAW_PREFIX = "raw."


def is_personal(field_ref: str) -> bool:
    """Say whether values of a canonical field or ``raw.<key>`` must be masked.

    Raw keys are unknown to the catalogue, so they count as personal.
    """
    known = CATALOGUE.get(field_ref)
    return True if known is None else known.personal


def title_of(field_ref: str) -> str:
    """Return the human title of a canonical field, or the raw key as written."""
    known = CATALOGUE.get(field_ref)
    return field_ref if known is None else known.title


_K = RawKey

CHARLIEHR_KEYS: tuple[RawKey, ...] = (
    _K("id", "id", "team_member", "confirmed", "Screenly reads emp.id"),
    _K("first_name", "first_name", "team_member", "confirmed", "Screenly"),
    _K("last_name", "last_name", "team_member", "confirmed", "Screenly"),
    _K("display_name", "display_name", "team_member", "confirmed", "Screenly"),
    _K("birthdate", "date_of_birth", "team_member", "confirmed", "Screenly"),
    _K("start_date", "start_date", "team_member", "confirmed", "Screenly"),
    _K("work_email", "email", "team_member", "likely", "Glama 'work email'; Merge"),
    _K("personal_email", "personal_email", "team_member", "likely", "Glama; Merge"),
    _K("mobile_phone", "phone_number", "team_member", "likely", "offices use phone_number"),
    _K("job_title", "job_title", "team_member", "likely", "Glama; Siit"),
    _K("gender", "gender", "team_member", "likely", "Glama lists it verbatim"),
    _K("termination_date", "end_date", "team_member", "guess", "Glama 'leaving date'"),
    _K("employment_status", "employment_status", "team_member", "guess", "values unknown"),
    _K("office", "office", "team_member", "guess", "an office id"),
    _K(
        "legal_entity", "legal_entity", "team_member", "guess", "SIIT 'legal entity'; Merge company"
    ),
    _K("manager", "line_manager", "team_member", "guess", "UI says 'Line Manager'"),
    _K("teams", "teams", "team_member", "guess", "a list of team ids"),
    _K("address_line_1", "address_line_1", "team_member", "guess", "Merge builds street_1"),
    _K("address_line_2", "address_line_2", "team_member", "guess", "Merge builds street_2"),
    _K("city", "city", "team_member", "guess", "Merge builds city"),
    _K("zip_code", "postcode", "team_member", "guess", "UK convention"),
    _K("country", "country", "team_member", "guess", "name or ISO code, unknown"),
    _K("salary_member", "team_member", "salary", "guess", "leave objects use team_member"),
    _K("pay_rate", "pay_rate", "salary", "likely", "Knit; Merge"),
    _K("pay_period", "pay_period", "salary", "confirmed", "Truto blog"),
    _K("pay_currency", "pay_currency", "salary", "likely", "Knit; Merge"),
    _K("effective_date", "effective_date", "salary", "confirmed", "Truto blog"),
    _K("employment_type", "employment_type", "salary", "likely", "Knit; Merge"),
    _K("team_name", "name", "team", "likely", "Merge Team.name"),
    _K("office_name", "name", "office", "confirmed", "Truto office keys"),
    _K("company_name", "name", "company", "confirmed", "Truto company keys"),
)

RAW_KEYS: dict[str, RawKey] = {k.role: k for k in CHARLIEHR_KEYS}

ENTITY_FALLBACK = "office"
"""The role the ``entity`` field is read from when no record carries the legal-entity key:
an account with one entity per office (a UK Ltd, a German GmbH) splits by office."""

ENDPOINTS: dict[Resource, str] = {
    "team_member": "/team_members",
    "salary": "/salaries",
    "team": "/teams",
    "office": "/offices",
    "company": "/company",
}
"""The CharlieHR endpoint whose records carry each resource's keys."""

LOOKS_LIKE: dict[str, tuple[str, ...]] = {
    "first_name": ("firstname", "given_name", "forename"),
    "last_name": ("lastname", "surname", "family_name"),
    "display_name": ("full_name", "name", "preferred_name"),
    "birthdate": ("dob", "birth_date", "birthdate", "birthday"),
    "start_date": ("started_on", "hire_date", "employment_start_date"),
    "work_email": ("work_email", "email_address", "company_email"),
    "personal_email": ("private_email", "home_email", "personal_email_address"),
    "mobile_phone": ("mobile", "mobile_number", "mobile_phone", "phone", "telephone"),
    "job_title": ("title", "position", "role"),
    "gender": ("sex",),
    "termination_date": ("termination_date", "leaving_date", "leave_date", "last_day"),
    "employment_status": ("status", "state", "employment_state"),
    "office": ("office_id", "location", "work_location"),
    "legal_entity": ("entity", "legal_entity_name", "employing_entity", "company", "employer"),
    "manager": ("manager", "manager_id", "line_manager_id", "reports_to"),
    "teams": ("team", "team_ids", "departments", "department"),
    "address_line_1": ("address", "address1", "street", "street_1", "address_line1"),
    "address_line_2": ("address2", "street_2", "address_line2"),
    "city": ("town", "locality"),
    "zip_code": ("zip", "zip_code", "post_code", "postal_code"),
    "country": ("country_code", "country_of_residence"),
    "salary_member": ("team_member_id", "employee", "employee_id"),
    "pay_rate": ("salary", "amount", "annual_salary", "rate"),
    "pay_period": ("period", "salary_period"),
    "pay_currency": ("currency",),
    "effective_date": ("effective_from", "valid_from"),
    "employment_type": ("contract_type", "type", "employment_contract"),
}
"""Other names an API may give a role's key (other HR APIs; the third-party OpenAPI
description of CharlieHR at github.com/api-evangelist/charliehr names the manager
``manager`` and the address one ``address`` string). When a role's key is absent from
every record, keys of these names are suggested first, then any close spelling."""

# Pagination: the keys of a list page's ``meta`` that say where the list ends.
#
# Kept apart from the raw-key table above (keys of records, not of pages). Only
# ``next_url`` is seen in code that calls the live API; the rest are the names that
# public descriptions of CharlieHR, or servers in general, use for the same things.
# The client reads whichever a page carries and never relies on one it has not seen
# (docs/charliehr-reads.md, "Where a list ends").

PagingRole = Literal["next_url", "total", "total_or_page_count", "total_pages", "page", "per_page"]
"""What a meta key tells: the next page's address, the items of the whole list, a count
that is either that or the items of this page, the number of pages, the page served,
or the page size used."""


@dataclass(frozen=True, slots=True)
class MetaKey:
    """One key of a list page's ``meta``, what it tells, and how sure we are of its name."""

    role: PagingRole
    key: str
    confidence: Confidence
    note: str


_M = MetaKey

PAGINATION_KEYS: tuple[MetaKey, ...] = (
    _M("next_url", "next_url", "confirmed", "charliehr-client (PyPI) follows it until empty"),
    _M("total", "total_results", "guess", "Knit's CharlieHR use cases: 'the total results'"),
    _M("total", "total_count", "guess", "a common name (GitHub's search API)"),
    _M("total", "total", "guess", "api-evangelist/charliehr OpenAPI: meta {page, per_page, total}"),
    _M(
        "total_or_page_count",
        "count",
        "guess",
        "Django REST framework: all items; elsewhere: the page's",
    ),
    _M("total_pages", "total_pages", "guess", "Knit's CharlieHR use cases: 'total pages'"),
    _M("page", "current_page", "guess", "Knit's CharlieHR use cases: 'current page'"),
    _M("page", "page", "guess", "api-evangelist/charliehr OpenAPI"),
    _M("per_page", "results_per_page", "guess", "Knit's CharlieHR use cases: 'results per page'"),
    _M("per_page", "per_page", "guess", "api-evangelist/charliehr OpenAPI; the query parameter"),
)
"""Every meta key the client understands. When a page carries two keys of one role,
the one listed first is read."""


def meta_keys(role: PagingRole) -> tuple[str, ...]:
    """The meta keys of one role, in the order they are tried."""
    return tuple(k.key for k in PAGINATION_KEYS if k.role == role)
