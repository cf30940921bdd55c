"""What a query word names: an instrument, with every name and listing of its issuer.

The dictionary answers a search's questions with these; the search planner reads only
their ``names`` and ``symbols`` (it states what it needs as a protocol, so the search
package does not import the instruments package, which imports it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Named:
    """An instrument a query word names: its symbol, every name it goes by, and every
    listing of its issuer (TSM and 2330.TW), ``symbol`` among them. No listings means
    ``symbol`` is the only one."""

    symbol: str
    names: tuple[str, ...]
    listings: tuple[str, ...] = ()

    @property
    def symbols(self) -> tuple[str, ...]:
        """Every symbol the issuer trades under, ``symbol`` first."""
        rest = tuple(s for s in self.listings if s != self.symbol)
        return (self.symbol, *rest)
