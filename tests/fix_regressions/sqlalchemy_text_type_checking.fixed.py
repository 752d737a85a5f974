# fix: PV201
"""`text` is imported only for the type checker: the fix must not call it at run time."""

from typing import TYPE_CHECKING

import sqlalchemy

if TYPE_CHECKING:
    from sqlalchemy import text

engine = sqlalchemy.create_engine("sqlite://")


def find(name):
    with engine.connect() as connection:
        return connection.execute(sqlalchemy.text("SELECT * FROM users WHERE name = :name"), {"name": name})
