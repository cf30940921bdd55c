"""Indexes written before the Whoosh engine had a package of its own name its field
and tokenizer classes, in the schema Whoosh pickles into every index, by the modules
they lived in then. ``install`` makes Whoosh read those names as today's, so such an
index opens as it is instead of asking for a rebuild. Importing ``store`` installs it.
"""

from __future__ import annotations

import io
import pickle
from types import SimpleNamespace
from typing import Any

from whoosh import index as whoosh_index

# Where a pickled index names a class -> where that class lives now.
MOVED = {
    "app.search.schema": "app.search.whoosh.schema",
    "app.search.analyzer": "app.search.whoosh.analysis",
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        return super().find_class(MOVED.get(module, module), name)


def loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


def install() -> None:
    whoosh_index.pickle = SimpleNamespace(
        loads=loads, dumps=pickle.dumps, PicklingError=pickle.PicklingError
    )
