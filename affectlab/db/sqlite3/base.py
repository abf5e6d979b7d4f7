"""Django's SQLite backend, with IMMEDIATE/EXCLUSIVE transactions queued per process.

Used as ``ENGINE = "affectlab.db.sqlite3"``: everything is Django's ``sqlite3`` backend
(``vendor`` is still ``"sqlite"``) except that a transaction that takes SQLite's write lock at
``BEGIN`` first waits for its turn in the process's :class:`~affectlab.db.writer_queue.WriterQueue`,
and gives the turn back as soon as the transaction ends (commit, rollback or a closed connection).
See ``affectlab/db/writer_queue.py`` for why.

WAL checkpoints are moved out of the turn. SQLite runs its automatic checkpoint inside the
COMMIT that pushes the WAL past ``wal_autocheckpoint`` pages, so the thread still holds its
turn while the checkpoint copies pages into the database file and syncs it (tens to hundreds of
milliseconds on a busy disk), and every other writer of the process waits, although SQLite itself
would let them write meanwhile. Here a connection's automatic checkpoint is raised to a backstop
that normal use never reaches, and every ``CHECKPOINT_EVERY`` write transactions of the process
one thread runs a PASSIVE checkpoint right after its commit, once its turn is given back.
"""

from __future__ import annotations

import logging

from django.db.backends.sqlite3 import base as sqlite3_base
from django.db.utils import DatabaseError, OperationalError

from affectlab.db.writer_queue import WriterQueue, writer_queue_for

logger = logging.getLogger(__name__)

WRITE_LOCKING_MODES = frozenset({"IMMEDIATE", "EXCLUSIVE"})
DEFAULT_TIMEOUT = 5.0  # seconds, as Python's sqlite3.connect
CHECKPOINT_EVERY = 100  # write transactions of this process between two PASSIVE checkpoints
AUTOCHECKPOINT_BACKSTOP = 10_000  # pages (SQLite's default is 1000): reached only if ours lag


class DatabaseWrapper(sqlite3_base.DatabaseWrapper):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writer_turn: WriterQueue | None = None

    @property
    def holds_writer_turn(self) -> bool:
        return self._writer_turn is not None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.transaction_mode in WRITE_LOCKING_MODES:
            connection.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_BACKSTOP}")
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        if self.transaction_mode not in WRITE_LOCKING_MODES:
            super()._start_transaction_under_autocommit()
            return
        self._take_writer_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._give_back_writer_turn()
            raise

    def _commit(self) -> None:
        queue = self._writer_turn
        try:
            super()._commit()
        finally:
            self._give_back_writer_turn_if_done()
        if queue is not None and queue.checkpoint_due(CHECKPOINT_EVERY):
            try:
                self._checkpoint()
            except DatabaseError:
                # The transaction is committed; a checkpoint that fails is retried by the next.
                logger.warning("WAL checkpoint of %s failed", self.settings_dict["NAME"], exc_info=True)
            finally:
                queue.checkpoint_done()

    def _checkpoint(self) -> None:
        """A PASSIVE checkpoint: it never waits, and writers go on while it runs. It may stop
        short (readers on old snapshots, another process checkpointing); the next one goes on."""
        with self.wrap_database_errors:
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._give_back_writer_turn_if_done()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._give_back_writer_turn()

    def _take_writer_turn(self) -> None:
        if self._writer_turn is not None:  # already this connection's turn
            return
        queue = writer_queue_for(self.settings_dict["NAME"])
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", DEFAULT_TIMEOUT))
        if not queue.acquire(timeout):
            raise OperationalError(
                f"database is locked: no turn to write within {timeout:g} s "
                "(another transaction of this process held it)"
            )
        self._writer_turn = queue

    def _give_back_writer_turn_if_done(self) -> None:
        """Release once SQLite says no transaction is open (a failed COMMIT leaves one open)."""
        if self._writer_turn is not None and (self.connection is None or not self.connection.in_transaction):
            self._give_back_writer_turn()

    def _give_back_writer_turn(self) -> None:
        queue, self._writer_turn = self._writer_turn, None
        if queue is not None:
            queue.release()
