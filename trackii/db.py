"""Database helpers: the next number in a sequence, and SQL per database vendor for migrations."""

from django.db import migrations
from django.db.models import Max, Model, QuerySet


def next_number(*, parent: Model, children: QuerySet, field: str) -> int:
    """One more than the highest `field` among `children` (1 when there are none), with `parent`'s row locked
    so that two people adding at once never take the same number. Call it inside a transaction."""
    type(parent).objects.select_for_update().only("pk").get(pk=parent.pk)
    return (children.aggregate(highest=Max(field))["highest"] or 0) + 1


def vendor_sql(*, postgresql: str, sqlite: str, reverse_postgresql: str = "", reverse_sqlite: str = ""):
    """A migration operation running the SQL written for the connected database (triggers differ)."""

    def run(sql_by_vendor):
        def apply(apps, schema_editor):
            sql = sql_by_vendor.get(schema_editor.connection.vendor)
            if sql is None:
                raise NotImplementedError(
                    f"No SQL for {schema_editor.connection.vendor}: add it to this migration."
                )
            for statement in _split(sql):
                schema_editor.execute(statement, params=None)

        return apply

    return migrations.RunPython(
        run({"postgresql": postgresql, "sqlite": sqlite}),
        run({"postgresql": reverse_postgresql, "sqlite": reverse_sqlite}),
    )


def _split(sql: str) -> list[str]:
    """Statements are separated by a line holding only `--;` (trigger bodies contain semicolons)."""
    return [part.strip() for part in sql.split("\n--;\n") if part.strip()]
