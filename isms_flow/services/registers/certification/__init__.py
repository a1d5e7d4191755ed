"""Certification body quotes and the certificate (choosing a body, recording the result).

The package is the register module of `services.registers`: it loads the snapshot parts
"quotes" and "certificate" and fills them for the demo's `cb_quotes` and
`certificate_valid` requirements.
"""

from __future__ import annotations

from collections.abc import Mapping

from isms_flow.services.registers import BulkPartLoader, DemoFiller, PartLoader
from isms_flow.services.registers.certification.certificate import (
    record_certificate,
    show_certificate,
)
from isms_flow.services.registers.certification.demo import fill_certificate, fill_quotes
from isms_flow.services.registers.certification.quotes import (
    add_quote,
    compare_quotes,
    list_quotes,
    select_quote,
)
from isms_flow.services.registers.certification.register import (
    load_certificates,
    load_certificates_of,
    load_quotes,
    load_quotes_of,
)

__all__ = [
    "DEMO_FILLERS",
    "SNAPSHOT_BULK_PARTS",
    "SNAPSHOT_PARTS",
    "add_quote",
    "compare_quotes",
    "list_quotes",
    "record_certificate",
    "select_quote",
    "show_certificate",
]

SNAPSHOT_PARTS: Mapping[str, PartLoader] = {
    "quotes": load_quotes,
    "certificate": load_certificates,
}
SNAPSHOT_BULK_PARTS: Mapping[str, BulkPartLoader] = {
    "quotes": load_quotes_of,
    "certificate": load_certificates_of,
}
DEMO_FILLERS: Mapping[str, DemoFiller] = {
    "cb_quotes": fill_quotes,
    "certificate_valid": fill_certificate,
}
