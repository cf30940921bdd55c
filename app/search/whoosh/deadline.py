"""When a search must stop looking: its budget, counted from its start."""

from __future__ import annotations

import time


def now() -> float:
    return time.monotonic()


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = now() + seconds

    def passed(self) -> bool:
        return now() >= self.at
