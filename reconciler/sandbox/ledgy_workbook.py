"""The admin's side of Ledgy's bulk Excel loop, for the sandbox.

``GET /export.xlsx`` is Stakeholders > Bulk Edit > Natural person > Download:
an instructions row, a header row, one row per natural person. ``POST /upload``
takes an import file (no "Stakeholder ID" column: every row is a new
stakeholder, even one whose identifier exists, as a careless upload would) or a
bulk-edit file (rows matched by "Stakeholder ID"; a blank cell clears the value,
which is why our bulk-edit rows must be full rows). Headers follow the header
table of the templates as far as it is known (``targets/ledgy/headers.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.sandbox.ledgy import LedgyData, stakeholder_record
from reconciler.targets.ledgy.headers import DEFAULT_HEADERS, STAKEHOLDER_ID

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS = (
    "Edit stakeholder data below. Do not remove this row or change the Stakeholder ID column."
)
_ROLES = {header: role for role, header in DEFAULT_HEADERS.items()}
_SCALARS = ("name", "email", "identifier", "birthdate", "nationality", "group")


def export_bytes(data: LedgyData) -> bytes:
    """The bulk-edit download of every natural person, as Ledgy would give it."""
    people = [s for s in data.stakeholders if s.get("type", "naturalPerson") == "naturalPerson"]
    hris = sorted({k for s in people for k in s.get("hris") or {}})
    roles = [STAKEHOLDER_ID, *_SCALARS, *(f"address.{k}" for k in _ADDRESS)]
    heads = [DEFAULT_HEADERS[r] for r in roles]
    heads += list(data.custom_fields) + [DEFAULT_HEADERS[f"hris.{k}"] for k in hris]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([INSTRUCTIONS])
    sheet.append(heads)
    for person in people:
        address = person.get("address") or {}
        row: list[Any] = [person["id"], *(_cell(person.get(k)) for k in _SCALARS)]
        row += [address.get(k) for k in _ADDRESS]
        row += [(person.get("custom_fields") or {}).get(name) for name in data.custom_fields]
        row += [_cell((person.get("hris") or {}).get(k)) for k in hris]
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


_ADDRESS = ("line1", "line2", "postcode", "city", "country")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def upload(data: LedgyData, content: bytes) -> dict[str, int]:
    """Apply an uploaded import or bulk-edit file; return what it did."""
    rows = list(load_workbook(BytesIO(content), data_only=True).worksheets[0].values)
    header_row = 1 if rows and len([c for c in rows[0] if c is not None]) == 1 else 0
    heads = [str(h).strip() if h is not None else "" for h in rows[header_row]]
    body = [r for r in rows[header_row + 1 :] if any(c not in (None, "") for c in r)]
    id_header = DEFAULT_HEADERS[STAKEHOLDER_ID]
    if id_header in heads:
        return {"updated": sum(_update(data, dict(zip(heads, r, strict=False))) for r in body)}
    for row in body:
        _create(data, dict(zip(heads, row, strict=False)))
    return {"created": len(body)}


def _update(data: LedgyData, row: dict[str, Any]) -> int:
    wanted = str(row.pop(DEFAULT_HEADERS[STAKEHOLDER_ID]))
    record = next((s for s in data.stakeholders if s["id"] == wanted), None)
    if record is None:
        return 0
    _fill(data, record, row)
    return 1


def _create(data: LedgyData, row: dict[str, Any]) -> None:
    number = 1 + max((int(str(s["id"]).split("_")[-1]) for s in data.stakeholders), default=0)
    record = stakeholder_record({"id": f"sh_{number:06d}"})
    _fill(data, record, row)
    data.stakeholders.append(record)


def _fill(data: LedgyData, record: dict[str, Any], row: dict[str, Any]) -> None:
    """Every column sets its value; a blank cell clears it (Ledgy's warning)."""
    for header, raw in row.items():
        if not header:
            continue
        value = _text(raw)
        role = _ROLES.get(header)
        if role in _SCALARS:
            record[role] = value
        elif role is not None and role.startswith("address."):
            record.setdefault("address", {})[role.split(".", 1)[1]] = value
        elif role is not None and role.startswith("hris."):
            _put(record.setdefault("hris", {}), role.split(".", 1)[1], value)
        elif role is None and header in data.custom_fields:
            _put(record.setdefault("custom_fields", {}), header, value)


def _put(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _text(raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return raw


def workbook_routes(data: LedgyData) -> list[Route]:
    """The download and upload the admin uses in Ledgy's web app."""

    async def download(request: Request) -> Response:
        return Response(export_bytes(data), media_type=XLSX)

    async def receive(request: Request) -> JSONResponse:
        try:
            done = upload(data, await request.body())
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
