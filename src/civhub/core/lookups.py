"""`folded`: a case-insensitive "contains" that folds every script's case, not only ASCII.

SQLite's LIKE and lower() fold ASCII letters only, so `icontains` misses "казахстан" in
"Казахстан". On SQLite a Python str.casefold is registered as a SQL function; PostgreSQL's
lower() already folds Unicode.
"""

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, Lookup, TextField


class FoldedContains(Lookup):
    lookup_name = "folded"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"strpos(lower({lhs}), lower({rhs})) > 0", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"instr(civhub_fold({lhs}), civhub_fold({rhs})) > 0", [*lhs_params, *rhs_params]


def _fold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("civhub_fold", 1, _fold, deterministic=True)


def install() -> None:
    CharField.register_lookup(FoldedContains)
    TextField.register_lookup(FoldedContains)
    connection_created.connect(register_sqlite_functions, dispatch_uid="civhub.sqlite_fold")
