"""The command line: Typer commands over the services, Rich tables or `--json`."""

__all__: list[str] = []
