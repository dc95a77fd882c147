"""Inserting many rows of one model in one statement per batch: `insert` (for imports).

On PostgreSQL the rows travel as one array per column (`INSERT … SELECT FROM unnest(…) RETURNING …`), which spares
`bulk_create` its per-object, per-field preparation and a statement text that grows with every row; elsewhere it is
`bulk_create`. Fields not given take their default, evaluated once for the whole call (a `timezone.now` default is
the same instant for every row). Like `bulk_create`, it sends no signals and calls no `save()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import connections, models

BATCH = 10_000


def insert(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]], *, using: str = "default"
) -> list[Any]:
    """Insert `rows` (values in the order of `fields`, as Python values of those fields) and return their primary
    keys in the same order."""
    connection = connections[using]
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model._default_manager.using(using).bulk_create(objs, batch_size=1000)  # type: ignore[attr-defined]
        return [obj.pk for obj in objs]
    meta = model._meta
    given = [cast(models.Field[Any, Any], meta.get_field(name)) for name in fields]
    rest = [
        f
        for f in meta.concrete_fields
        if f not in given and not f.primary_key and f.column and not getattr(f, "db_returning", False)
    ]
    columns = [connection.ops.quote_name(f.column) for f in (*given, *rest)]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in given)
    names = [f"c{n}" for n in range(len(given))]
    constants = "".join(f", %s::{f.db_type(connection)}" for f in rest)
    pk = connection.ops.quote_name(meta.pk.column)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - names only
        f"SELECT {', '.join(names)}{constants} FROM unnest({arrays}) WITH ORDINALITY AS t({', '.join(names)}, n) "
        f"ORDER BY n RETURNING {pk}"
    )
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in rest]
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            columns_of = [
                [field.get_db_prep_save(row[n], connection) for row in batch] for n, field in enumerate(given)
            ]
            cursor.execute(sql, [*defaults, *columns_of])  # the constants come first in the text
            keys.extend(key for (key,) in cursor.fetchall())
    return keys
