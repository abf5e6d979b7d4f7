"""A process-wide FIFO queue in front of SQLite's single write lock.

SQLite lets one connection write at a time. A connection that finds the lock taken gets
SQLITE_BUSY and its busy handler sleeps on a fixed schedule (1, 2, 5, 10 ... 100 ms) before
trying again, so when many threads of one web process save at once, the lock is often free
while every waiter is still asleep, and an unlucky save sleeps through many rounds while later
ones get in first. Threads of one process can do better: they wait here, in arrival order, and
the thread that commits hands its turn straight to the next one. The busy timeout stays in
place for writers in other processes (the Celery worker, management commands).
"""

from __future__ import annotations

import os
import threading
from collections import deque


class WriterQueue:
    """A lock that is granted in arrival order and handed over directly on release.

    Not tied to a thread: whoever was granted a turn releases it. ``acquire`` gives up after
    ``timeout`` seconds (and returns False) so that a stuck holder turns into the same "database
    is locked" error SQLite's own busy timeout would give.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False
        self._commits = 0  # write transactions since the last checkpoint was claimed
        self._checkpointing = False

    @property
    def held(self) -> bool:
        return self._held

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=max(timeout, 0)):
            return True
        with self._mutex:
            try:
                self._waiters.remove(turn)
            except ValueError:
                # ``release`` handed the turn over just as the wait timed out: it is ours.
                return True
            return False

    def release(self) -> None:
        with self._mutex:
            if not self._held:
                raise RuntimeError("release of a writer queue that is not held")
            if self._waiters:
                self._waiters.popleft().release()  # the next writer owns it now; never free between
            else:
                self._held = False

    def checkpoint_due(self, every: int) -> bool:
        """Count a committed write transaction; True for the one caller that should now run a
        checkpoint (every ``every`` commits, and not while another checkpoint of this process
        runs). That caller calls :meth:`checkpoint_done` afterwards."""
        with self._mutex:
            self._commits += 1
            if self._commits < every or self._checkpointing:
                return False
            self._commits = 0
            self._checkpointing = True
            return True

    def checkpoint_done(self) -> None:
        with self._mutex:
            self._checkpointing = False


_queues: dict[str, WriterQueue] = {}
_queues_mutex = threading.Lock()


def writer_queue_for(database: str) -> WriterQueue:
    """The queue shared by every connection of this process to the database file ``database``."""
    key = database if database.startswith("file:") or database == ":memory:" else os.path.abspath(database)
    queue = _queues.get(key)
    if queue is None:
        with _queues_mutex:
            queue = _queues.setdefault(key, WriterQueue())
    return queue


def _forget_queues_in_child() -> None:
    """A forked child starts with no writer: a turn held by a parent thread is not the child's."""
    global _queues_mutex
    _queues.clear()
    _queues_mutex = threading.Lock()


os.register_at_fork(after_in_child=_forget_queues_in_child)
