"""Small, shared file helpers: deterministic CSV/YAML writing and script logging.

Kept apart from the statistical modules so those stay free of file access. The workflow's
scripts call :func:`run_script` with the ``snakemake`` object Snakemake injects; nothing here
imports Snakemake.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

from analysis.core.tables import InputError
from analysis.core.text import safe_text
from analysis.core.warm import INSIDE_ENV

log = logging.getLogger("pipeline")


def read_yaml(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def write_csv(df: pd.DataFrame, path: str | Path, *, neutralise_text: bool = True) -> Path:
    """Write a tidy table: UTF-8, ``\\n`` line ends, no index, stable float format.

    Text cells are neutralised against CSV injection (they may come from inputs and open in
    Excel), unless ``neutralise_text`` is False.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if neutralise_text:
        df = df.copy()
        for col in df.columns:
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                df[col] = df[col].map(safe_text)
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a table this pipeline wrote (empty cells stay missing)."""
    return pd.read_csv(path, encoding="utf-8", **kwargs)


def write_yaml(data, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return path


def run_script(snakemake, main: Callable[[object], None]) -> None:
    """Run a workflow script's ``main(snakemake)`` with logging to the rule's log file.

    An :class:`InputError` (a bad input) is written to the log and to the terminal, then the
    job fails with exit code 1, before anything is written. Other exceptions keep their
    traceback in the log.
    """
    log_path = Path(snakemake.log[0])
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    import time

    started = time.perf_counter()
    try:
        main(snakemake)
        where = " in the warm worker" if os.environ.get(INSIDE_ENV) == "1" else ""
        log.info("done in %.2f s%s", time.perf_counter() - started, where)
    except InputError as err:
        log.error("%s", err)
        print(f"\nINPUT ERROR (rule {snakemake.rule}):\n{err}\n", file=sys.__stderr__)
        sys.exit(1)
    except Exception as exc:
        if str(snakemake.rule).startswith("ingest_"):
            # a job reading a raw input: the exception's message may quote the input
            report = withheld_traceback(exc)
            log.error("unexpected failure:\n%s", report)
            print(f"\nUNEXPECTED FAILURE (rule {snakemake.rule}):\n{report}\n", file=sys.__stderr__)
            sys.exit(1)
        log.error("unexpected failure:\n%s", traceback.format_exc())
        raise


def withheld_traceback(exc: BaseException) -> str:
    """Where ``exc`` was raised (the frames and the exception's type), without its message,
    which may quote an input's text: what a bug report from an ingest job can carry."""
    frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
    return (
        f"Traceback (most recent call last):\n{frames}{type(exc).__name__}: (message withheld: "
        "it may quote the input; please report this as a bug with the traceback)"
    )


#: The open file whose OS lock marks this process as the pipeline's running Snakemake.
_RUN_LOCK = None


def release_stale_locks(state_dir: str | Path = ".snakemake") -> bool:
    """Remove Snakemake's directory locks when no Snakemake of this project holds them.

    Snakemake writes its locks as plain files and removes them when it exits; a run that was
    killed (SIGKILL, a power cut) leaves them behind, and the next run stops with a
    ``LockException`` until someone runs ``--unlock``. Called from the workflow while it is
    parsed (in the main Snakemake process only), this takes an OS lock on
    ``<state_dir>/pipeline-run.lock`` and keeps it for the life of the process; the kernel
    releases it when the process ends however it ends. If the lock is free, no other run of
    this project is alive, so any lock files are stale and are removed (what ``--unlock``
    does). If it is held, another run is alive and nothing is touched: Snakemake's own check
    then refuses a second run on the same files, as before. Returns True when stale locks were
    removed. (Where ``fcntl`` does not exist, Windows, it does nothing.)
    """
    global _RUN_LOCK
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return False
    state = Path(state_dir)
    state.mkdir(parents=True, exist_ok=True)
    handle = open(state / "pipeline-run.lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    if _RUN_LOCK is not None:
        _RUN_LOCK.close()
    _RUN_LOCK = handle
    locks = state / "locks"
    stale = locks.is_dir() and any(locks.iterdir())
    if stale:
        shutil.rmtree(locks)
    return stale
