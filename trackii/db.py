"""Database helpers shared by migrations."""

from django.db import migrations


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
