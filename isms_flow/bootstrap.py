"""The composition root: the one place that wires settings, database, clock, vault and workflows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import isms_flow.store.tables  # noqa: F401 - the register tables join the ORM mapping
from isms_flow.clock import Clock, SystemClock
from isms_flow.config import Settings
from isms_flow.store.db import make_engine, make_session_factory
from isms_flow.store.migrate import upgrade_to_head
from isms_flow.store.unit_of_work import UnitOfWork
from isms_flow.store.vault import Vault
from isms_flow.workflow.catalog import WorkflowCatalog

__all__ = ["App", "bootstrap"]


@dataclass
class App:
    """Everything a service needs; built once per process by `bootstrap`."""

    settings: Settings
    clock: Clock
    engine: Engine
    session_factory: sessionmaker[Session]
    catalog: WorkflowCatalog
    vault: Vault

    def uow(self) -> UnitOfWork:
        """A fresh unit of work (one transaction)."""
        return UnitOfWork(self.session_factory)

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def bootstrap(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> App:
    """Build the application; bring the database schema up to date unless told not to."""
    engine = make_engine(
        settings.effective_database_url, sqlite_synchronous=settings.sqlite_synchronous
    )
    if migrate:
        upgrade_to_head(engine)
    return App(
        settings=settings,
        clock=clock or SystemClock(),
        engine=engine,
        session_factory=make_session_factory(engine),
        catalog=WorkflowCatalog(settings.effective_workflow_dirs),
        vault=Vault(settings.effective_vault_dir),
    )
