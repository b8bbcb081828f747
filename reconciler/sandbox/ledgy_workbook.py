"""The admin's side of Ledgy's bulk Excel loop, for the sandbox.

``GET /export.xlsx`` is Stakeholders > Bulk Edit > Natural person > Download:
an instructions row, a header row, one row per natural person, spelled as one of
``SPELLINGS`` says (``Behaviour.export_headers``): ``ours`` is our header table
(``targets/ledgy/headers.py``, every column); ``aliased`` spells every column
otherwise (``Stakeholder id`` as Ledgy's older help does, ``Full name``,
``E-mail``…), written here without the table, so a driver that assumes its own
spellings fails against it; ``no-hr`` has no ``HR: …`` column (no Ledgy file is
known to hold one); ``no-key`` has no Stakeholder ID column.

``POST /upload`` takes an import file (no Stakeholder ID column: every row is a
new stakeholder, even one whose identifier exists, as a careless upload would) or
a bulk-edit file (rows matched by Stakeholder ID; a blank cell clears the value,
which is why our bulk-edit rows must be full rows). Headers must be spelled as
the export spells them; a column that is neither the export's nor a custom field
is refused, so a file holding columns Ledgy does not know never passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from io import BytesIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.domain.fields import FIELDS
from reconciler.domain.json import Json
from reconciler.sandbox.ledgy_data import ExportHeaders, LedgyData, stakeholder_record
from reconciler.targets.ledgy.headers import DEFAULT_HEADERS, STAKEHOLDER_ID

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS = (
    "Edit stakeholder data below. Do not remove this row or change the Stakeholder ID column."
)
_SCALARS = ("name", "email", "identifier", "birthdate", "nationality", "group")
_ADDRESS = ("line1", "line2", "postcode", "city", "country")
_HRIS = tuple(f.name for f in FIELDS)
ALIASED: dict[str, str] = {
    STAKEHOLDER_ID: "Stakeholder id",  # support.ledgy.com/editing-stakeholder-data
    "name": "Full name",
    "email": "E-mail",
    "identifier": "Stakeholder identifier",
    "birthdate": "Date of birth",
    "nationality": "nationality",
    "address.line1": "Address 1",
    "address.line2": "Address 2",
    "address.postcode": "Postal code",
    "address.city": "Town",
    "address.country": "Country of residence",
    "group": "Group",
    **{f"hris.{f.name}": f"HR - {f.title.lower()}" for f in FIELDS},
}
SPELLINGS: dict[str, dict[str, str]] = {
    "ours": dict(DEFAULT_HEADERS),
    "aliased": ALIASED,
    "no-hr": {r: h for r, h in DEFAULT_HEADERS.items() if not r.startswith("hris.")},
    "no-key": {r: h for r, h in DEFAULT_HEADERS.items() if r != STAKEHOLDER_ID},
}


class UploadRefused(ValueError):
    """An upload Ledgy would not take (a column it does not know)."""


def spelling(
    mode: ExportHeaders = "ours", renamed: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Header by role of an export in this mode; ``renamed`` (a config's columns) wins."""
    table = SPELLINGS[mode]
    return table | {r: h for r, h in (renamed or {}).items() if r in table}


def export_bytes(
    data: LedgyData, mode: ExportHeaders = "ours", renamed: Mapping[str, str] | None = None
) -> bytes:
    """The bulk-edit download of every natural person, as Ledgy would give it."""
    people = [s for s in data.stakeholders if s.get("type", "naturalPerson") == "naturalPerson"]
    heads = spelling(mode, renamed)
    roles = [STAKEHOLDER_ID, *_SCALARS, *(f"address.{k}" for k in _ADDRESS)]
    roles = [r for r in roles if r in heads]
    hris = [k for k in _HRIS if f"hris.{k}" in heads]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([INSTRUCTIONS])
    sheet.append(
        [heads[r] for r in roles] + list(data.custom_fields) + [heads[f"hris.{k}"] for k in hris]
    )
    for person in people:
        row: list[object] = [_value(person, r) for r in roles]
        row += [(person.get("custom_fields") or {}).get(name) for name in data.custom_fields]
        row += [_cell((person.get("hris") or {}).get(k)) for k in hris]
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _value(person: Json, role: str) -> object:
    if role == STAKEHOLDER_ID:
        return person["id"]
    if role.startswith("address."):
        return (person.get("address") or {}).get(role.split(".", 1)[1])
    return _cell(person.get(role))


def _cell(value: object) -> object:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def upload(
    data: LedgyData,
    content: bytes,
    mode: ExportHeaders = "ours",
    renamed: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Apply an uploaded import or bulk-edit file; return what it did."""
    rows = list(load_workbook(BytesIO(content), data_only=True).worksheets[0].values)
    header_row = 1 if rows and len([c for c in rows[0] if c is not None]) == 1 else 0
    heads = [str(h).strip() if h is not None else "" for h in rows[header_row]]
    body = [r for r in rows[header_row + 1 :] if any(c not in (None, "") for c in r)]
    roles = {header: role for role, header in spelling(mode, renamed).items()}
    unknown = [h for h in heads if h and h not in roles and h not in data.custom_fields]
    if unknown:
        raise UploadRefused(f"Unknown column '{unknown[0]}' in the uploaded file")
    named: list[dict[str, object]] = [dict(zip(heads, r, strict=False)) for r in body]
    if STAKEHOLDER_ID in (roles.get(h) for h in heads):
        return {"updated": sum(_update(data, row, roles) for row in named)}
    for row in named:
        _create(data, row, roles)
    return {"created": len(body)}


def _update(data: LedgyData, row: dict[str, object], roles: Mapping[str, str]) -> int:
    key = next(h for h in row if roles.get(h) == STAKEHOLDER_ID)
    wanted = str(row.pop(key))
    record = next((s for s in data.stakeholders if s["id"] == wanted), None)
    if record is None:
        return 0
    _fill(data, record, row, roles)
    return 1


def _create(data: LedgyData, row: dict[str, object], roles: Mapping[str, str]) -> None:
    number = 1 + max((int(str(s["id"]).split("_")[-1]) for s in data.stakeholders), default=0)
    record = stakeholder_record({"id": f"sh_{number:06d}"})
    _fill(data, record, row, roles)
    data.stakeholders.append(record)


def _fill(data: LedgyData, record: Json, row: dict[str, object], roles: Mapping[str, str]) -> None:
    """Every column sets its value; a blank cell clears it (Ledgy's warning)."""
    for header, raw in row.items():
        if not header:
            continue
        value = _text(raw)
        role = roles.get(header)
        if role in _SCALARS:
            record[role] = value
        elif role is not None and role.startswith("address."):
            record.setdefault("address", {})[role.split(".", 1)[1]] = value
        elif role is not None and role.startswith("hris."):
            _put(record.setdefault("hris", {}), role.split(".", 1)[1], value)
        elif role is None and header in data.custom_fields:
            _put(record.setdefault("custom_fields", {}), header, value)


def _put(mapping: Json, key: str, value: object) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _text(raw: object) -> object:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return raw


def workbook_routes(data: LedgyData, mode: ExportHeaders = "ours") -> list[Route]:
    """The download and upload the admin uses in Ledgy's web app."""

    async def download(request: Request) -> Response:
        return Response(export_bytes(data, mode), media_type=XLSX)

    async def receive(request: Request) -> JSONResponse:
        try:
            done = upload(data, await request.body(), mode)
        except (ValueError, KeyError, IndexError, OSError, BadZipFile) as error:
            return JSONResponse(
                {"errors": [{"message": f"not a Ledgy upload file ({type(error).__name__})"}]},
                status_code=400,
            )
        return JSONResponse({"data": done})

    return [
        Route("/export.xlsx", download, methods=["GET"]),
        Route("/upload", receive, methods=["POST"]),
    ]
