"""Report rows built a page at a time."""

from collections.abc import Callable


class PagedRows:
    """A report's rows in a fixed order, as a sequence a paginator can cut: the rows are known
    by their records' ids, and a slice reads its own records (one query, `records.in_bulk`)
    and makes a row of each with `row(record)`; `then(rows)`, if given, completes a slice's
    rows together (one more query for all of them, say). So a report page of 50 rounds out of
    a thousand builds 50 Round objects, not a thousand; iterating the whole builds every row.
    A record deleted since the ids were read has no row."""

    def __init__(
        self,
        ids: list,
        records,
        row: Callable[[object], object],
        *,
        then: Callable[[list], None] | None = None,
    ):
        self._ids = ids
        self._records = records
        self._row = row
        self._then = then

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(self._ids[index])
        return self._build([self._ids[index]])[0]

    def _build(self, ids) -> list:
        found = self._records.in_bulk(ids)
        rows = [self._row(found[pk]) for pk in ids if pk in found]
        if self._then is not None:
            self._then(rows)
        return rows
