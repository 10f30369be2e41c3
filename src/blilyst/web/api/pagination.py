"""The API's one paging scheme: ``?limit=&offset=`` with bounds, so that no number a client sends can reach
the database as an integer it cannot hold (``offset=2**63`` answers 422, not a server error)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
# Far beyond any list blilyst keeps, and well inside SQLite's and PostgreSQL's 64-bit integers.
MAX_OFFSET = 10_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    """Limit/offset paging whose inputs are checked against :data:`MAX_LIMIT` and :data:`MAX_OFFSET`."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"How many items (1 to {MAX_LIMIT}).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")
