"""What a model declares so that the site-wide search (search/selectors.py) finds it quickly.

On PostgreSQL search matches and ranks full-text on a stored document, a generated column
written with the row, rather than on a vector computed again for every row found; and it also
matches substrings (Chinese names have no spaces to split words on), through trigram indexes.
On SQLite search is a plain scan of substrings: the document is the text, and no index is made.

A searched model declares, with the fields its app's `search.py` names:

    search_document = stored_document("title", "summary")

    class Meta:
        indexes = search_indexes("agendaitem", "title", "summary")
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.backends.ddl_references import Statement
from django.db.models.functions import Cast, Coalesce, Upper

DOCUMENT = "search_document"


class SearchDocumentField(SearchVectorField):
    """A tsvector on PostgreSQL; elsewhere the plain text, which nothing reads."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Func):
    """The vector `SearchVector(*fields, config="simple")` computes, in an expression PostgreSQL
    deems immutable, as a generated column needs: the fields joined with `||` (CONCAT_WS is
    only stable) and an explicit configuration. Elsewhere, the joined text."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = SearchDocumentField()

    def __init__(self, *fields):
        self.fields = fields
        super().__init__(
            *(
                Coalesce(Cast(models.F(field), models.TextField()), models.Value(""))
                for field in fields
            )
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="to_tsvector('simple'::regconfig, %(expressions)s)",
            **extra_context,
        )


def stored_document(*fields) -> models.GeneratedField:
    """The stored search document of the given fields. It is the fields' own words again, so
    neither the history nor the exchange files keep it (exclude it from `HistoricalRecords`)."""
    return models.GeneratedField(
        expression=SearchDocument(*fields),
        output_field=SearchDocumentField(),
        db_persist=True,
        serialize=False,
    )


class SearchIndex(GinIndex):
    """A GIN index on PostgreSQL; nothing elsewhere, where search scans."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("")
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("")
        return super().remove_sql(model, schema_editor, **kwargs)


def search_indexes(prefix: str, *fields) -> list[SearchIndex]:
    """The index on the stored document, and a trigram index on each field in the form that
    `icontains` compares, UPPER(field)."""
    return [
        SearchIndex(fields=[DOCUMENT], name=f"{prefix}_search"),
        *(
            SearchIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"{prefix}_{field}_trgm")
            for field in fields
        ),
    ]
