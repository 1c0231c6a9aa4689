"""Importing people from a spreadsheet into an office's pool (issue 14).

The steps, each a page: the upload is read (roadshow.talent.spreadsheets) and kept in a folder
of its own under the uploads (``<token>/state.json``); the officer maps the columns; the preview
reads every row, names its errors, and finds the candidate duplicates among the office's people
and the file's earlier rows (roadshow.talent.duplicates); the officer decides per duplicate:
merge, keep both, or skip; then a background job (roadshow.jobs) runs it in batches, each
committed with the job's position, so a restart resumes where it stopped.

Nothing is silently overwritten: a merge fills the record's empty fields and takes a differing
value only where the officer chose the file's; each change is a ``talent_changes`` row (reason
``merge``), and each record the import creates gets one too (reason ``import``). Rows with
errors are not imported: the officer corrects the file and imports those rows again.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from roadshow.db import utcnow
from roadshow.talent import divisions, duplicates, spreadsheets
from roadshow.talent.models import Change, ChangeReason, Person, Source
from roadshow.talent.services import people

KIND = "talent.import"
BATCH = 200
#: how many duplicates the preview lets the officer decide one by one (the rest take a default)
SHOWN = 200
FOLDER = "talent-imports"

MERGE, KEEP, SKIP = "merge", "keep", "skip"
ACTIONS = (MERGE, KEEP, SKIP)

#: the fields a merge may fill or take from the file
MERGE_FIELDS = ("name_zh", "name_en", "gender", "birth_year", "native_code", "residence_country",
                "residence_city", "employer", "position", "title", "degree", "school", "field",
                "email", "phone", "languages", "recommended_by", "notes")

MESSAGES = {
    "too_large": _l("The file is larger than %(limit_mb)s MB."),
    "unsupported": _l("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."),
    "unreadable": _l("The file could not be read as a spreadsheet. Save it again as .xlsx or "
                     "CSV and upload it again."),
    "encoding": _l("The CSV file is neither UTF-8 nor GB18030 (GBK). Save it as "
                   "“CSV UTF-8” and upload it again."),
    "empty": _l("The file has no rows under its header row."),
    "too_many_rows": _l("The file has %(rows)s rows; one import takes at most %(limit)s. "
                        "Split it into several files."),
    "name_missing": _l("No name: give the name in Chinese characters or in Latin letters."),
    "email_invalid": _l("“%(value)s” is not an e-mail address."),
    "birth_year_invalid": _l("“%(value)s” holds no year of birth between 1900 and this year."),
    "native_unknown": _l("“%(value)s” is no county or city we know; write it as 江苏省苏州市吴中区 or "
                         "give its six-digit code."),
    "country_unknown": _l("“%(value)s” is no country we know."),
    "gender_unknown": _l("“%(value)s” is not a gender we read (男/女, male/female)."),
    "degree_unknown": _l("“%(value)s” is not a degree we read (本科, 硕士, 博士, bachelor, master, "
                         "doctorate)."),
    "category_unknown": _l("“%(value)s” is not a category we read."),
    "too_long": _l("“%(value)s…” is too long for this field."),
    "no_name_column": _l("Choose the column that holds the name (in Chinese characters or in "
                         "Latin letters)."),
    "twice": _l("Each field can come from one column only."),
}


def message(key: str, **params: Any) -> str:
    text = MESSAGES.get(key)
    return str(text) % params if text is not None and params else str(text or key)


class ImportRefused(ValueError):  # noqa: N818 - what the officer is told
    """An import that cannot go on as asked: ``key`` names the message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    @property
    def text(self) -> str:
        return message(self.key, **self.params)


# --- the staged import ------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass
class Staged:
    """An import between its upload and its run, kept as JSON beside the uploads."""

    token: str
    organisation_id: int
    actor_id: int
    filename: str
    created_at: str
    headers: list[str]
    rows: list[list[str]]
    mapping: list[str | None] = field(default_factory=list)
    default_category: str = "high_level"
    #: the rows read with the mapping: {"number", "values", "errors": [[field, key, value]]}
    parsed: list[dict[str, Any]] = field(default_factory=list)
    #: candidate duplicates: {"row", "person_id" | "earlier_row", "reasons", "score"}
    matches: list[dict[str, Any]] = field(default_factory=list)
    #: the officer's choices by row number: {"action", "take": [fields]}
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_action: str = MERGE
    job_id: int | None = None


def _folder(root: Path, token: str) -> Path:
    if not _TOKEN.fullmatch(token or ""):
        raise FileNotFoundError(token)
    return root / FOLDER / token


def save(root: Path, staged: Staged) -> None:
    folder = _folder(root, staged.token)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / "state.json.tmp"
    temporary.write_text(json.dumps(staged.__dict__, ensure_ascii=False), encoding="utf-8")
    temporary.replace(folder / "state.json")


def load(root: Path, token: str, organisation_id: int) -> Staged | None:
    """The staged import ``token`` of this office, or None (unknown, or another office's)."""
    try:
        path = _folder(root, token) / "state.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    staged = Staged(**data)
    return staged if staged.organisation_id == organisation_id else None


def discard(root: Path, token: str) -> None:
    shutil.rmtree(_folder(root, token), ignore_errors=True)


def stage(root: Path, actor: Any, organisation: Any, filename: str, data: bytes) -> Staged:
    """Read an upload and keep it for the next steps. Raises :class:`ImportRefused`."""
    try:
        table = spreadsheets.read_table(filename, data)
    except spreadsheets.SheetError as error:
        raise ImportRefused(error.key, **error.params) from error
    staged = Staged(token=secrets.token_urlsafe(24), organisation_id=organisation.id,
                    actor_id=actor.id, filename=Path(filename or "").name[:200],
                    created_at=utcnow().isoformat(), headers=table.headers, rows=table.rows,
                    mapping=spreadsheets.suggest_mapping(table.headers))
    save(root, staged)
    return staged


# --- reading the rows, finding duplicates -----------------------------------------------------

def native_resolver() -> Callable[[str], str | None]:
    """A native place as written -> its division code, or None when it names no place or
    several: a six-digit code; the whole chain ("江苏省苏州市吴中区", "Wuzhong District, Suzhou,
    Jiangsu"); a county's or city's own name when only one place has it ("吴中区"); or a name
    ending the text, told apart by the province or city written before it."""
    places = [d for province in divisions.provinces() for city in divisions.children(province.code)
              for d in (city, *divisions.children(city.code)) if divisions.is_native_place(d.code)]
    by_name: dict[str, list[divisions.Division]] = {}
    whole: dict[str, str] = {}
    context: dict[str, set[str]] = {}
    for place in places:
        chain = divisions.chain(place.code)
        whole[spreadsheets.fold("".join(d.name_zh for d in chain))] = place.code
        whole[spreadsheets.fold(divisions.describe(place.code, False))] = place.code
        whole[spreadsheets.fold(divisions.describe(place.code, True))] = place.code
        for name in {spreadsheets.fold(place.name_zh), spreadsheets.fold(place.name_en)}:
            by_name.setdefault(name, []).append(place)
        context[place.code] = {short for d in chain[:-1] for name in (d.name_zh, d.name_en)
                               for short in _short_names(name)}

    def resolve(text: str) -> str | None:
        code = text.strip()
        if code.isdigit() and len(code) == 6:
            return code if divisions.is_native_place(code) else None
        folded = spreadsheets.fold(text)
        if folded in whole:
            return whole[folded]
        for size in range(len(folded), 1, -1):
            found = by_name.get(folded[-size:])
            if not found:
                continue
            before = folded[:-size]
            if len(found) > 1 or before:
                fitting = [d for d in found if any(name and name in before
                                                   for name in context[d.code])]
                found = fitting or (found if not before else [])
            return found[0].code if len(found) == 1 else None
        return None

    return resolve


def _short_names(name: str) -> set[str]:
    folded = spreadsheets.fold(name)
    return {folded, folded.removesuffix("省").removesuffix("市"),
            folded.removesuffix("province").removesuffix("city")}


def check_mapping(mapping: list[str | None]) -> None:
    chosen = [name for name in mapping if name]
    if len(chosen) != len(set(chosen)):
        raise ImportRefused("twice")
    if "name_zh" not in chosen and "name_en" not in chosen:
        raise ImportRefused("no_name_column")


def existing_records(session: Session, organisation_id: int) -> Iterable[duplicates.Record]:
    """The office's active people as duplicate detection reads them."""
    statement = select(Person.id, Person.name_zh, Person.name_en, Person.name_pinyin,
                       Person.email, Person.phone, Person.native_code, Person.birth_year).where(
        people.in_pool(organisation_id)).execution_options(yield_per=5000)
    for row in session.execute(statement):
        yield duplicates.Record(key=row.id, name_zh=row.name_zh, name_en=row.name_en,
                                name_pinyin=row.name_pinyin, email=row.email, phone=row.phone,
                                native_code=row.native_code, birth_year=row.birth_year)


def prepare(session: Session, staged: Staged, mapping: list[str | None], default_category: str,
            now: datetime | None = None) -> Staged:
    """Read every row with ``mapping`` and find the duplicates; the preview shows the result."""
    check_mapping(mapping)
    now = now or utcnow()
    resolve = native_resolver()
    staged.mapping = mapping
    staged.default_category = default_category
    parsed = [spreadsheets.parse_row(number, values, mapping, native_code=resolve,
                                     default_category=default_category, this_year=now.year)
              for number, values in enumerate(staged.rows, start=2)]
    staged.parsed = [{"number": row.number, "values": row.values,
                      "errors": [[e.field, e.key, e.value] for e in row.errors]} for row in parsed]
    incoming = [duplicates.Record(
        key=row.number, name_zh=_str(row.values.get("name_zh")),
        name_en=_str(row.values.get("name_en")), email=_str(row.values.get("email")),
        phone=_str(row.values.get("phone")), native_code=_str(row.values.get("native_code")),
        birth_year=row.values.get("birth_year")) for row in parsed if row.ok]  # type: ignore[arg-type]
    found = duplicates.find_duplicates(incoming, existing_records(session, staged.organisation_id))
    best: dict[int, duplicates.Match] = {}
    for match in found:  # the strongest candidate of each row (they come strongest first)
        best.setdefault(match.incoming, match)
    staged.matches = [{"row": m.incoming, "person_id": None if m.within_file else m.existing,
                       "earlier_row": m.existing if m.within_file else None,
                       "reasons": list(m.reasons), "score": m.name_score}
                      for m in best.values()]
    staged.decisions = {}
    return staged


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


@dataclass(frozen=True)
class Preview:
    new_rows: int
    error_rows: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]     # each with "person" (existing Person) or "earlier"
    hidden_duplicates: int
    people: dict[int, Person]


def preview(session: Session, staged: Staged) -> Preview:
    errors = [row for row in staged.parsed if row["errors"]]
    matched_rows = {m["row"] for m in staged.matches}
    ids = [m["person_id"] for m in staged.matches[:SHOWN] if m["person_id"]]
    found = {p.id: p for p in session.scalars(select(Person).where(
        Person.id.in_(ids), people.in_pool(staged.organisation_id)))} if ids else {}
    new_rows = sum(1 for row in staged.parsed if not row["errors"]
                   and row["number"] not in matched_rows)
    return Preview(new_rows=new_rows, error_rows=errors, duplicates=staged.matches[:SHOWN],
                   hidden_duplicates=max(0, len(staged.matches) - SHOWN), people=found)


def row_values(staged: Staged, number: int) -> dict[str, Any]:
    return staged.parsed[number - 2]["values"]


def conflicts(person: Person, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The fields where the record and the row hold different values: (field, record, row)."""
    found = []
    for name in MERGE_FIELDS:
        new = values.get(name)
        if new in (None, ""):
            continue
        old = getattr(person, name)
        old_text = str(getattr(old, "value", old)) if old not in (None, "") else ""
        if old_text and old_text.lower() != str(new).lower():
            found.append((name, old_text, str(new)))
    return found


def decide(staged: Staged, choices: dict[str, dict[str, Any]], default_action: str) -> None:
    """Keep the officer's choices (per row: action and the fields to take from the file)."""
    allowed = {str(m["row"]): m for m in staged.matches}
    staged.decisions = {}
    for row, choice in choices.items():
        match = allowed.get(row)
        action = choice.get("action")
        if match is None or action not in ACTIONS:
            continue
        if action == MERGE and match["person_id"] is None:
            action = KEEP  # a row is merged with a record, not with another row of the file
        take = [name for name in choice.get("take", []) if name in MERGE_FIELDS]
        staged.decisions[row] = {"action": action, "take": take}
    staged.default_action = default_action if default_action in ACTIONS else SKIP


# --- running it --------------------------------------------------------------------------------

@dataclass
class Outcome:
    created: int = 0
    merged: int = 0
    skipped: int = 0
    invalid: int = 0
    changes: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _data(values: dict[str, Any], base: people.PersonData | None = None) -> people.PersonData:
    data = base or people.PersonData()
    for name, value in values.items():
        if hasattr(data, name) and value not in (None, ""):
            setattr(data, name, value if name == "birth_year" else str(value))
    return data


def run(session: Session, staged: Staged, actor: Any, organisation: Any, start: int,
        outcome: Outcome, step: Callable[[int, Outcome], None]) -> Outcome:
    """Import the rows from index ``start`` on; after each batch ``step(next_index, outcome)``
    records the position (and commits, with the batch)."""
    matches = {m["row"]: m for m in staged.matches}
    rows = staged.parsed
    for batch_start in range(start, len(rows), BATCH):
        batch = rows[batch_start:batch_start + BATCH]
        # the records this batch may merge into, read at once (active ones of this office)
        ids = [m["person_id"] for row in batch if (m := matches.get(row["number"]))
               and m["person_id"]]
        found = {p.id: p for p in session.scalars(select(Person).where(
            Person.id.in_(ids), people.in_pool(organisation.id)))} if ids else {}
        for row in batch:
            _import_row(session, staged, actor, organisation, row, matches.get(row["number"]),
                        outcome, found)
        session.flush()
        step(batch_start + len(batch), outcome)
    return outcome


def _import_row(session: Session, staged: Staged, actor: Any, organisation: Any,
                row: dict[str, Any], match: dict[str, Any] | None, outcome: Outcome,
                found: dict[int, Person]) -> None:
    if row["errors"]:
        outcome.invalid += 1
        return
    values = row["values"]
    if match is not None:
        decision = staged.decisions.get(str(row["number"]),
                                        {"action": staged.default_action, "take": []})
        action = decision["action"]
        if action == MERGE and match["person_id"] is None:
            action = KEEP
        if action == SKIP:
            outcome.skipped += 1
            return
        if action == MERGE:
            person = found.get(match["person_id"])
            if person is not None:
                outcome.changes += _merge(session, actor, person, values, decision["take"])
                outcome.merged += 1
                return
    try:
        person = people.create_person(session, actor, organisation, _data(values), Source.IMPORT,
                                      flush=False)  # the batch is flushed at once
    except people.PersonError:
        outcome.invalid += 1
        return
    person.changes.append(Change(changed_by_id=getattr(actor, "id", None), changed_at=utcnow(),
                                 field="record", old_value=None,
                                 new_value=f"{staged.filename}, row {row['number']}",
                                 reason=ChangeReason.IMPORT.value))
    outcome.created += 1


def _merge(session: Session, actor: Any, person: Person, values: dict[str, Any],
           take: list[str]) -> int:
    """Fill the record's empty fields from the row, and take the row's value where the officer
    chose it; every change is kept (reason ``merge``). Returns how many fields changed."""
    fill = []
    for name in MERGE_FIELDS:
        new = values.get(name)
        if new in (None, ""):
            continue
        old = getattr(person, name)
        if old in (None, "") or name in take:
            fill.append(name)
    if not fill:
        return 0
    data = _data({name: values[name] for name in fill}, people.data_of(person))
    try:
        changes = people.update_person(session, actor, person, data, only=tuple(fill),
                                       reason=ChangeReason.MERGE)
    except people.PersonError:
        return 0
    return len(changes)
