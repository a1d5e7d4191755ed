"""Insert many rows at once, converting each distinct value for the database only once.

SQLAlchemy converts every bound value of every row on its way to the driver (a UTC instant
becomes naive UTC text on SQLite, JSON is dumped, and so on). For the thousands of outbox rows
a deadline refresh writes, most values repeat — the same `fire_at` for every project decided
on one day, the same `created_at` for a whole batch — so here each column's converter runs
once per distinct value, and the driver gets the statement and the converted rows directly.
The result is what `connection.execute(insert(table), rows)` would store.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

__all__ = ["insert_many"]

_Converter = Callable[[Any], Any]


def insert_many(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys, column names of `table`) in one executemany."""
    if not rows:
        return
    keys = list(rows[0])
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup or ()) if compiled.positional else keys
    converters = [
        (name, _memoized(table.c[name].type.dialect_impl(dialect).bind_processor(dialect)))
        for name in names
    ]
    plain = [name for name, convert in converters if convert is None]
    if len(plain) == len(converters):  # nothing to convert (no dates, no JSON)
        converted = [tuple(row[name] for name in names) for row in rows]
    else:
        converted = [
            tuple(
                row[name] if convert is None else convert(row[name]) for name, convert in converters
            )
            for row in rows
        ]
    parameters: list[Any] = (
        converted
        if compiled.positional
        else [dict(zip(names, values, strict=True)) for values in converted]
    )
    connection.exec_driver_sql(compiled.string, parameters)


def _memoized(convert: _Converter | None) -> _Converter | None:
    if convert is None:
        return None
    seen: dict[Hashable, Any] = {}

    def once(value: Any) -> Any:
        if value is None:
            return convert(value)
        try:
            return seen[value]
        except KeyError:
            seen[value] = found = convert(value)
            return found
        except TypeError:  # unhashable (a list or dict for a JSON column): convert each time
            return convert(value)

    return once
