"""The workbook driver: Ledgy's bulk Excel files, the way that works with any account.

Reading takes the bulk-edit export (Stakeholders > Bulk Edit > Natural person >
Download stakeholder file): first row instructions, then a header row, then one
row per stakeholder matched by its Stakeholder ID. Columns are found by their
headers (``headers``, judged in ``layout``), never assumed. The export comes plain
or age-encrypted (``export_file``) and is only ever held in memory.

Applying *prepares* (``upload``): a new folder named after the plan holding an
import file for new stakeholders and a bulk-edit file for updates. Both hold only
columns the export has (or the config names), headed as the export spells them.
Bulk-edit rows are the export's own rows with only the differing cells changed, so
no unchanged cell is blank; columns with personal data the config does not manage,
and columns that match nothing, are left out of every file. Each apply first keeps a
record of what it prepares (``pending_store``; no personal value), and every later
plan reads the records back as part of Ledgy's state: those people are awaiting
upload until the refreshed export holds them (``engine.pending``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from reconciler.config.load import LoadedConfig
from reconciler.config.secrets import Secret, variable_of
from reconciler.domain.pending import UploadRecord, records_text
from reconciler.domain.stakeholder import CUSTOM, HRIS, TargetState
from reconciler.domain.writes import Progress, Write, WriteResult
from reconciler.engine.canonical import PlanKey
from reconciler.engine.desired import field_sources
from reconciler.engine.pending import upload_record
from reconciler.engine.plan import Plan
from reconciler.errors import MissingSecretError, TargetError
from reconciler.targets.ledgy.export_file import (
    ExportFile,
    default_state,
    ensure_ignored,
    fingerprint,
    in_ci,
)
from reconciler.targets.ledgy.headers import (
    BULK_EDIT_INSTRUCTIONS_ROW,
    COLUMNS,
    DEFAULT_HEADERS,
    IMPORT_INSTRUCTIONS_ROW,
    SHEET_TITLE,
    STAKEHOLDER_ID,
    check_roles,
    header_text,
    mapped_custom_fields,
    match_columns,
)
from reconciler.targets.ledgy.layout import COLUMNS_KEY, Layout, layout_of
from reconciler.targets.ledgy.pending_store import (
    FileStore,
    MemoryStore,
    PendingStore,
    record_file,
)
from reconciler.targets.ledgy.probe import Freshness, older_export_warning
from reconciler.targets.ledgy.sheet import Sheet, parse_sheet, personal_role, stakeholder_of
from reconciler.targets.ledgy.upload import (
    BULK_EDIT_FILE,
    IMPORT_FILE,
    MANIFEST,
    README,
    PreparedUpload,
    prepared_path,
    shown,
    upload_steps,
    write_prepared,
)

__all__ = ["BULK_EDIT_FILE", "IMPORT_FILE", "WorkbookTarget", "export_workbook"]

logger = logging.getLogger(__name__)

EXPORT_INSTRUCTIONS = (
    "Edit stakeholder data below. Do not remove this row or change the Stakeholder ID column; "
    "rows are matched by it. Cells left unchanged are not updated."
)
DATE_FORMAT = "yyyy-mm-dd"


def _now() -> datetime:
    return datetime.now(UTC)


class WorkbookTarget:
    """Stakeholders from a bulk-edit export; writes prepared as upload files."""

    def __init__(
        self,
        export: Path | ExportFile,
        out_dir: Path,
        company: str,
        columns: Mapping[str, str] | None = None,
        *,
        managed: frozenset[str] | None = None,
        recipients: Sequence[str] = (),
        config_name: str = "company.yaml",
        environ: Mapping[str, str] | None = None,
        freshness: Freshness | None = None,
        store: PendingStore | None = None,
        clock: Callable[[], datetime] = _now,
        key: PlanKey | None = None,
    ) -> None:
        self.export = export if isinstance(export, ExportFile) else ExportFile(export, False)
        self.out_dir = out_dir
        self.company = company
        self.columns = dict(columns or {})
        """The config's column names by role (``ledgy.workbook.columns``)."""
        self.managed = managed
        """Plan fields the config manages (``None``: all, and every unknown column is a
        custom field)."""
        self.recipients = tuple(recipients)
        self.config_name = config_name
        self.environ = environ
        self.freshness = freshness
        self.store: PendingStore = store if store is not None else MemoryStore()
        """Where the records of prepared uploads are kept (``pending_store``)."""
        self.clock = clock
        self.label: str | None = None
        self.checksum = ""
        self.key = key
        """The plan's key (``prepare_for`` gives the plan's): it keys the record's digests."""
        self.open_labels: frozenset[str] | None = None
        """The records the plan shows open (``None``: keep every record read)."""
        self._records: tuple[UploadRecord, ...] = ()
        self.prepared: PreparedUpload | None = None
        self._custom = mapped_custom_fields(managed) if managed is not None else None
        self._layout = Layout(match_columns(()), {})
        self._roles: dict[str, str] = {}
        self._sheet = Sheet((), {})
        self._fingerprint = ""
        self._preloaded = False

    @property
    def layout(self) -> Layout:
        """The export's columns as found by the last read."""
        return self._layout

    def label_upload(self, checksum: str) -> None:
        """Name the next prepared folder after the plan it carries out."""
        self.label = checksum.rsplit(":", 1)[-1][:12]
        self.checksum = checksum

    def prepare_for(self, plan: Plan) -> None:
        """What the next ``apply`` carries out: its folder's name, the key of the record's
        digests, and which records are still open (settled ones are dropped)."""
        self.label_upload(plan.checksum)
        self.key = plan.key
        self.open_labels = frozenset(a.label for a in plan.pending)

    def prepared_report(self) -> list[str] | None:
        """What the last apply prepared (``None`` before one)."""
        return self.prepared.lines() if self.prepared is not None else None

    async def preflight(self) -> frozenset[str]:
        """Decrypt and parse the export (the cheap check); return its custom fields."""
        self._load()
        self._preloaded = True
        return self._custom_fields()

    def _custom_fields(self) -> frozenset[str]:
        """Columns no role claims: the custom fields Ledgy may have."""
        return frozenset(self._layout.match.custom + self._layout.match.unmatched)

    def _load(self) -> None:
        name = str(self.export.path)
        rows = _rows(self.export.read(), name)
        self._layout = layout_of(rows, self.columns, self._custom, name)
        self._roles = self._layout.roles()
        self._sheet = parse_sheet(rows, name, self._layout)
        # The rows, not the bytes: a new download of unchanged data is the same export.
        self._fingerprint = fingerprint(repr(sorted(self._sheet.rows.items())).encode())

    async def read(self) -> TargetState:
        """Read the export and the records of uploads prepared and not known settled."""
        if not self._preloaded:  # preflight just read it; a later read reads again
            self._load()
        self._preloaded = False
        if self.freshness is not None:
            warning = older_export_warning(
                await self.freshness.stakeholder_ids(), set(self._sheet.rows)
            )
            if warning is not None:
                logger.warning("%s", warning)
        people = [
            stakeholder_of(self._sheet.columns, row, self._roles)
            for row in self._sheet.rows.values()
        ]
        self._records = await self.store.load()
        return TargetState(
            self.company,
            tuple(people),
            self._custom_fields(),
            self._layout.unheld,
            self._layout.notes(self.managed),
            self._records,
        )

    async def apply(
        self, writes: Sequence[Write], progress: Progress | None = None
    ) -> list[WriteResult]:
        """Keep the record of this plan's upload, then prepare its import and bulk-edit
        files in a new folder; write nothing else.

        The record comes first: if it cannot be kept, nothing is prepared, so no later
        run, on this machine or a fresh runner, can prepare these people again.
        """
        creates = [w for w in writes if w.action == "create"]
        updates = [w for w in writes if w.action == "update"]
        label = self.label or "unlabelled"
        ci = in_ci(self.environ)
        files: dict[str, bytes] = {}
        if creates:
            files[IMPORT_FILE] = self._import_file(creates)
        if updates:
            files[BULK_EDIT_FILE] = self._bulk_edit_file(updates)
        steps = upload_steps(list(files), self.config_name)
        files[README] = _readme(label, steps).encode()
        if self.key is None:  # a bug: apply always prepares for its plan first
            raise TargetError("the workbook was not prepared for a plan (prepare_for)")
        record = upload_record(
            writes,
            self.key,
            label=label,
            checksum=self.checksum or label,
            prepared_at=self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
            where=shown(prepared_path(self.out_dir, label, ci=ci)).as_posix(),
            run_url=self.store.run_url,
        )
        files[MANIFEST] = records_text([record]).encode()
        if not ci:
            ensure_ignored(self.out_dir / label, "the folder of upload files")
        kept = [r for r in self._records if self._still_open(r) and r.label != label]
        await self.store.save([*kept, record])
        try:
            where, encrypted = write_prepared(
                self.out_dir, label, files, recipients=self.recipients, ci=ci
            )
        except Exception:
            await self.store.save(kept)  # nothing prepared: nothing awaits upload
            raise
        self.prepared = PreparedUpload(
            where,
            len(creates),
            len(updates),
            encrypted,
            tuple(steps),
            self.store.where,
            self.store.local_only,
        )
        results = [WriteResult(w, True, w.stakeholder_id) for w in writes]
        for result in results:
            if progress is not None:
                progress(result)
        return results

    def _still_open(self, record: UploadRecord) -> bool:
        return self.open_labels is None or record.label in self.open_labels

    def _import_file(self, creates: list[Write]) -> bytes:
        """Ledgy's import template: a header row, then one row per new stakeholder."""
        held = self._held(creates)
        heads = [header for _, header in held]
        rows = [[w.values.get(role) for role, _ in held] for w in creates]
        instructions = [IMPORT_FILE] if IMPORT_INSTRUCTIONS_ROW else None
        return _book(instructions, heads, rows)

    def _bulk_edit_file(self, updates: list[Write]) -> bytes:
        """The export's rows for these stakeholders, only the differing cells changed."""
        keep = [
            (n, h)
            for n, h in enumerate(self._sheet.columns)
            if h in self._roles and self._keeps(self._roles[h])
        ]
        heads = [h for _, h in keep]
        heads += [header for _, header in self._held(updates) if header not in heads]
        rows = []
        for write in updates:
            original = self._sheet.rows.get(write.stakeholder_id or "")
            if original is None:
                raise TargetError(
                    f"Stakeholder ID {write.stakeholder_id} is not in the export; nothing was "
                    "prepared",
                    remedy="download a fresh export and run `reconciler ledgy-state update`",
                )
            row = [original[n] for n, _ in keep] + [None] * (len(heads) - len(keep))
            for role, value in write.values.items():
                header = self._layout.header(role)
                if header is not None and header in heads:  # no place: warned, never planned
                    row[heads.index(header)] = value
            rows.append(row)
        instructions = [EXPORT_INSTRUCTIONS] if BULK_EDIT_INSTRUCTIONS_ROW else None
        return _book(instructions, heads, rows)

    def _held(self, writes: Iterable[Write]) -> list[tuple[str, str]]:
        """(role, header) of what the writes set that this export can hold, in the
        export's column order; the rest has no column (warned, never planned)."""
        found = {
            (role, header)
            for w in writes
            for role, value in w.values.items()
            if value is not None and (header := self._layout.header(role)) is not None
        }
        place = {header: n for n, header in enumerate(self._sheet.columns)}
        return sorted(found, key=lambda held: (place.get(held[1], len(place)), held[0]))

    def _keeps(self, role: str) -> bool:
        """A column goes into a bulk-edit file unless it is personal and unmanaged."""
        if role == STAKEHOLDER_ID or self.managed is None or role in self.managed:
            return True
        return not personal_role(role)


def _readme(label: str, steps: Sequence[str]) -> str:
    lines = [
        f"Upload files prepared by reconciler for plan {label}.",
        "They hold personal data: keep them off shared drives and delete them once uploaded.",
        "",
        "Steps:",
        *(f"{n}. {step}" for n, step in enumerate(steps, start=1)),
        "",
    ]
    return "\n".join(lines)


def export_workbook(
    state: TargetState, path: Path, headers: Mapping[str, str] = DEFAULT_HEADERS
) -> None:
    """Write stakeholders as a bulk-edit export with every column of the header table
    (tests; the sandbox serves its own, ``sandbox/ledgy_workbook``)."""
    path.write_bytes(export_bytes(state, headers))


def export_bytes(state: TargetState, headers: Mapping[str, str] = DEFAULT_HEADERS) -> bytes:
    """Stakeholders as the bytes of a bulk-edit export: standard columns, custom fields,
    then the HR columns."""
    roles = [c.role for c in COLUMNS if c.role != STAKEHOLDER_ID and not c.role.startswith(HRIS)]
    roles += [CUSTOM + name for name in sorted(state.custom_fields)]
    roles += [c.role for c in COLUMNS if c.role.startswith(HRIS)]
    heads = [headers[STAKEHOLDER_ID], *(headers.get(r, r.removeprefix(CUSTOM)) for r in roles)]
    rows = []
    for person in state.stakeholders:
        flat = person.flat()
        rows.append([person.id, *(flat.get(r) for r in roles)])
    return _book([EXPORT_INSTRUCTIONS], heads, rows)


def _book(instructions: list[str] | None, heads: list[str], rows: list[list[Any]]) -> bytes:
    """One sheet: instructions (if any), headers, rows; dates as real Excel dates."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    if instructions:
        sheet.append(instructions)
    sheet.append(heads)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(content: bytes, name: str, last: int | None = None) -> list[tuple[Any, ...]]:
    """The rows of the first sheet (up to row ``last``), as values."""
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise TargetError(f"{name}: not an .xlsx workbook ({type(error).__name__})") from None
    try:
        return list(book.worksheets[0].iter_rows(max_row=last, values_only=True))
    finally:
        book.close()


def header_row(export: ExportFile) -> tuple[str, ...]:
    """The export's header row (row 2) and nothing below it: no cell value is read.

    With :func:`~reconciler.targets.ledgy.headers.export_columns`, what a
    first-contact report needs to say which columns a config finds.
    """
    name = str(export.path)
    rows = _rows(export.read(), name, last=2)
    if len(rows) < 2:
        raise TargetError(f"{name}: no header row (row 2)", remedy="download the export again")
    return tuple(header_text(cell) for cell in rows[1])


def workbook_target(
    loaded: LoadedConfig,
    key: Secret | MissingSecretError | None,
    environ: Mapping[str, str] | None = None,
    *,
    store: PendingStore | None = None,
    export: Path | None = None,
    out_dir: Path | None = None,
) -> WorkbookTarget:
    """Build the workbook driver a config describes; paths are relative to the config.

    ``store`` keeps the records of prepared uploads: by default ``company.pending.json``
    beside the config (the shell gives the GitHub branch store in Actions).
    ``export`` and ``out_dir`` replace the config's (the sandbox's own export, and
    uploads beside it); an export given so is not dated against Ledgy's cap table.
    ``key`` is the Ledgy API key the run resolved (it dates the export), if any; a
    missing one is raised here, after the column checks.
    """
    ledgy = loaded.config.ledgy
    settings = ledgy.workbook
    if settings is None:  # the model requires it for the workbook driver
        raise TargetError("ledgy.workbook is not set")
    columns = configured_columns(loaded)
    freshness = None
    if isinstance(key, MissingSecretError) and export is None:
        raise key
    if export is None and ledgy.api_key is not None and isinstance(key, Secret):
        # the cap table can date the export
        freshness = Freshness(ledgy.url, key, variable_of(ledgy.api_key))
    return WorkbookTarget(
        export_file(loaded, environ) if export is None else ExportFile(export, False),
        out_dir or loaded.inside(("ledgy", "workbook", "out_dir"), settings.out_dir),
        ledgy.company,
        columns,
        managed=frozenset(field_sources(loaded.config.stakeholders)),
        recipients=settings.recipients,
        config_name=loaded.display_path,
        environ=environ,
        freshness=freshness,
        store=store if store is not None else FileStore(record_file(loaded.path)),
    )


def export_file(loaded: LoadedConfig, environ: Mapping[str, str] | None = None) -> ExportFile:
    """The export a config reads: the encrypted state (with recipients) or the plaintext one."""
    settings = loaded.config.ledgy.workbook
    if settings is None:  # the model requires it for the workbook driver
        raise TargetError("ledgy.workbook is not set")
    if settings.recipients:
        state = (
            loaded.inside(("ledgy", "workbook", "state"), settings.state)
            if settings.state
            else default_state(loaded.path)
        )
        return ExportFile(state, True, environ)
    assert settings.export is not None  # the model requires one of the two
    path = loaded.inside(("ledgy", "workbook", "export"), settings.export)
    return ExportFile(path, False, environ)


def configured_columns(loaded: LoadedConfig) -> dict[str, str]:
    """The config's column names by role (``columns``, or its older name ``headers``),
    each role checked against the header table."""
    settings = loaded.config.ledgy.workbook
    named = settings.column_names if settings is not None else {}
    try:
        check_roles(named)
    except KeyError as error:
        role = str(error.args[0])
        key = settings.columns_key if settings is not None else "columns"
        where = loaded.problem_at(("ledgy", "workbook", key, role), "")
        raise TargetError(
            f"{where.path}:{where.line}:{where.col}: unknown workbook column role '{role}'",
            remedy="roles are stakeholder_id and plan field names such as address.city or "
            f"hris.start_date (docs/ledgy-drivers.md, 'How columns are found'; {COLUMNS_KEY})",
        ) from None
    return named
