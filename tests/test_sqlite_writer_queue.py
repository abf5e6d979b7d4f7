"""The SQLite writer queue: threads of one process take turns at BEGIN, in arrival order.

The backend tests open their own SQLite file through a ``ConnectionHandler`` (as
``tests/test_platform.py`` does), so they need no test database and hold no lock on it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.db.utils import ConnectionHandler, OperationalError

from affectlab.db.sqlite3 import base as sqlite_backend
from affectlab.db.writer_queue import WriterQueue, writer_queue_for
from affectlab.settings.base import _database_from_env

# --------------------------------------------------------------------------- the queue


def _wait_until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.001)


def test_turns_are_granted_in_arrival_order_and_handed_over_directly():
    queue = WriterQueue()
    assert queue.acquire(timeout=1)
    order: list[int] = []

    def writer(n: int) -> None:
        assert queue.acquire(timeout=10)
        order.append(n)
        queue.release()

    threads = []
    for n in range(8):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        _wait_until(lambda n=n: queue.waiting == n + 1)  # each one queues before the next starts
    queue.release()
    for thread in threads:
        thread.join(timeout=10)
    assert order == list(range(8))
    assert not queue.held and queue.waiting == 0


def test_a_turn_is_never_free_between_holders():
    """While someone waits, release hands the turn over: a newcomer cannot take it in between."""
    queue = WriterQueue()
    assert queue.acquire(timeout=1)
    got = threading.Event()

    def waiter() -> None:
        assert queue.acquire(timeout=10)
        got.set()

    thread = threading.Thread(target=waiter)
    thread.start()
    _wait_until(lambda: queue.waiting == 1)
    queue.release()
    assert queue.held
    assert not queue.acquire(timeout=0.05)  # the newcomer waits: the turn went to the waiter
    thread.join(timeout=10)
    assert got.is_set()
    queue.release()
    assert not queue.held


def test_a_waiter_gives_up_after_its_timeout_and_leaves_the_queue():
    queue = WriterQueue()
    assert queue.acquire(timeout=1)
    started = time.monotonic()
    assert not queue.acquire(timeout=0.1)
    assert time.monotonic() - started >= 0.1
    assert queue.waiting == 0
    queue.release()
    assert not queue.held
    assert queue.acquire(timeout=0)


def test_releasing_a_free_queue_is_an_error():
    with pytest.raises(RuntimeError):
        WriterQueue().release()


def test_one_queue_per_database_file(tmp_path):
    name = str(tmp_path / "a.sqlite3")
    assert writer_queue_for(name) is writer_queue_for(str(tmp_path / "." / "a.sqlite3"))
    assert writer_queue_for(name) is not writer_queue_for(str(tmp_path / "b.sqlite3"))


# --------------------------------------------------------------------------- the backend


ALIAS = "writer_queue_probe"


@pytest.fixture
def handler(tmp_path, monkeypatch, django_db_blocker) -> Iterator[ConnectionHandler]:
    """Connections (one per thread) to a fresh file with the app's SQLite settings.

    ``transaction.atomic(using=ALIAS)`` works on them: the alias is not in settings.DATABASES,
    so ``transaction.get_connection`` is pointed at this handler for it.
    """
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = _database_from_env()
    config["NAME"] = str(tmp_path / "queue.sqlite3")
    config["OPTIONS"]["timeout"] = 2
    handler = ConnectionHandler({"default": config})
    app_connection = transaction.get_connection

    def get_connection(using=None):
        return handler["default"] if using == ALIAS else app_connection(using)

    monkeypatch.setattr(transaction, "get_connection", get_connection)
    with django_db_blocker.unblock():  # a file of its own, not the test database
        with handler["default"].cursor() as cursor:
            cursor.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, writer INTEGER, step INTEGER)")
        handler["default"].close()
        yield handler
        handler.close_all()


def _atomic():
    return transaction.atomic(using=ALIAS)


def _queue(handler: ConnectionHandler) -> WriterQueue:
    return writer_queue_for(handler.settings["default"]["NAME"])


def test_the_app_uses_the_queued_backend(handler):
    connection = handler["default"]
    assert connection.vendor == "sqlite"
    assert connection.transaction_mode == "IMMEDIATE"
    assert type(connection).__module__ == "affectlab.db.sqlite3.base"


def test_a_transaction_holds_the_turn_from_begin_to_commit(handler):
    connection, queue = handler["default"], _queue(handler)
    with _atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO log (writer, step) VALUES (1, 1)")
        assert connection.holds_writer_turn and queue.held
    assert not connection.holds_writer_turn and not queue.held
    with connection.cursor() as cursor:  # autocommit reads take no turn
        cursor.execute("SELECT count(*) FROM log")
        assert cursor.fetchone()[0] == 1
    assert not queue.held


def test_the_turn_is_given_back_when_the_transaction_fails(handler):
    connection, queue = handler["default"], _queue(handler)
    with pytest.raises(ZeroDivisionError), _atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO log (writer, step) VALUES (1, 1)")
        1 / 0  # noqa: B018 - the failure under test
    assert not queue.held and not connection.holds_writer_turn
    with pytest.raises(OperationalError), _atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO no_such_table VALUES (1)")
    assert not queue.held
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM log")
        assert cursor.fetchone()[0] == 0  # both rolled back


def test_closing_the_connection_inside_a_transaction_gives_the_turn_back(handler):
    connection, queue = handler["default"], _queue(handler)
    with _atomic():
        connection.close()
        assert not queue.held
    assert not queue.held


def test_writers_in_threads_never_overlap_and_all_commit(handler):
    """Each transaction writes two rows with a pause between: with the queue no other writer's
    row ever lands between them, and nobody waits in SQLite's busy handler long enough to fail."""
    writers, rounds = 12, 5
    errors: list[BaseException] = []
    queued: list[int] = []  # how many writers were waiting in the queue, seen by each holder
    barrier = threading.Barrier(writers)

    def writer(n: int) -> None:
        connection = handler["default"]
        try:
            barrier.wait()
            for _ in range(rounds):
                with _atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("INSERT INTO log (writer, step) VALUES (%s, 1)", [n])
                        time.sleep(0.002)
                        queued.append(_queue(handler).waiting)
                        cursor.execute("INSERT INTO log (writer, step) VALUES (%s, 2)", [n])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT writer, step FROM log ORDER BY id")
        rows = cursor.fetchall()
    assert len(rows) == 2 * writers * rounds
    assert max(queued) >= 1  # writers waited for their turn here, not in SQLite's busy handler
    assert all(a[0] == b[0] and (a[1], b[1]) == (1, 2) for a, b in zip(rows[::2], rows[1::2], strict=True))
    assert not _queue(handler).held


def test_a_writer_that_cannot_get_a_turn_fails_like_a_locked_database(handler):
    queue = _queue(handler)
    outcome: list[BaseException | None] = []

    def other_writer() -> None:
        other = handler["default"]
        try:
            with _atomic():
                pass
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - checked below
            outcome.append(exc)
        finally:
            other.close()

    with _atomic():
        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join(timeout=30)  # the busy timeout is 2 s here
    assert len(outcome) == 1 and isinstance(outcome[0], OperationalError)
    assert "database is locked" in str(outcome[0])
    assert not queue.held and queue.waiting == 0


def test_deferred_transactions_take_no_turn(handler):
    connection = handler["default"]
    connection.ensure_connection()
    connection.transaction_mode = None  # as with OPTIONS without "transaction_mode"
    with _atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM log")
        assert not connection.holds_writer_turn
        assert not _queue(handler).held


def test_checkpoints_are_claimed_by_one_thread_every_so_many_commits():
    queue = WriterQueue()
    due = [queue.checkpoint_due(every=3) for _ in range(7)]
    assert due == [False, False, True, False, False, False, False]  # the 6th waits for the 3rd's
    queue.checkpoint_done()
    assert queue.checkpoint_due(every=3)  # counting went on meanwhile


def test_the_connection_leaves_wal_checkpoints_to_the_backend(handler):
    connection = handler["default"]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == sqlite_backend.AUTOCHECKPOINT_BACKSTOP


def test_a_checkpoint_runs_after_every_so_many_commits_once_the_turn_is_given_back(handler, monkeypatch):
    connection, queue = handler["default"], _queue(handler)
    monkeypatch.setattr(sqlite_backend, "CHECKPOINT_EVERY", 4)
    seen: list[tuple[bool, int]] = []
    checkpoint = type(connection)._checkpoint

    def recording_checkpoint(self) -> None:
        seen.append((queue.held, self.connection.in_transaction))
        checkpoint(self)

    monkeypatch.setattr(type(connection), "_checkpoint", recording_checkpoint)
    for n in range(9):
        with _atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO log (writer, step) VALUES (1, %s)", [n])
    assert seen == [(False, False), (False, False)]  # after the 4th and the 8th commit
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM log")
        assert cursor.fetchone()[0] == 9


def test_a_failed_checkpoint_does_not_fail_the_committed_transaction(handler, monkeypatch):
    connection = handler["default"]
    monkeypatch.setattr(sqlite_backend, "CHECKPOINT_EVERY", 1)

    def failing_checkpoint(self) -> None:
        with self.wrap_database_errors:
            raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(type(connection), "_checkpoint", failing_checkpoint)
    with _atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO log (writer, step) VALUES (1, 1)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM log")
        assert cursor.fetchone()[0] == 1
    assert not _queue(handler).held
    assert _queue(handler).checkpoint_due(every=1)  # the failed one was given up, the next can run
