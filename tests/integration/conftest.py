"""Fixtures for tests that run the ingestion chain on real Celery worker processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.media_samples import make_clip
from tests.worker_process import WorkerProcess, broker_reset, start_worker


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def workers(transactional_db, tmp_path, request) -> Iterator[Callable[..., WorkerProcess]]:
    """Start real workers on committed data; every one is killed when the test ends.

    The broker namespace of the run is emptied first, so no message from an earlier
    test can reach these workers.
    """
    broker_reset()
    started: list[WorkerProcess] = []

    def start(name: str = "worker", **kwargs) -> WorkerProcess:
        worker = start_worker(tmp_path, name, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()  # the test is over: no need to wait for a warm shutdown
    if request.node.stash.get(_CALL_FAILED, False):
        for worker in started:
            print(f"\n===== log of {worker.name} =====\n{worker.log()}")
    broker_reset()


@pytest.fixture(scope="session")
def long_clip(sample_dir: Path) -> Path:
    """40 s of 640x480 video with sound: normalising it takes several seconds."""
    return make_clip(sample_dir / "long.mp4", seconds=40, size="640x480")
