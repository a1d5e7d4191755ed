"""Tables of the ISMS registers, one module per register, all on `store.models.Base`.

Importing this package imports every module in it, so Alembic and the ORM see every table
without a list to keep in step.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__: list[str] = []

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
