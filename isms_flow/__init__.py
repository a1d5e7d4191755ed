"""isms-flow: ISO/IEC 27001 certification projects as state machines."""

__all__ = ["__version__"]

__version__ = "0.1.0"
