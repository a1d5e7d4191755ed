"""The ISMS registers as pure domain code: Annex A, SoA, risks, training, audits, reviews,
certification bodies and certificates. Imports no database, CLI or scheduler code."""

__all__: list[str] = []
