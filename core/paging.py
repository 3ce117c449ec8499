"""Report rows built a page at a time."""

from collections.abc import Callable


class PagedRows:
    """A report's rows in a fixed order, as a sequence a paginator can cut: `build(ids)` makes
    the rows of the ids it is given, in their order (one query for their records, say), and a
    slice builds only its own. So a report page of 50 rounds out of a thousand builds 50 Round
    objects, not a thousand; iterating the whole builds every row, in one call."""

    def __init__(self, ids: list, build: Callable[[list], list]):
        self._ids = ids
        self._build = build

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(self._ids[index])
        return self._build([self._ids[index]])[0]
