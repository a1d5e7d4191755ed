"""`python -m isms_flow` runs the command line."""

from isms_flow.cli.app import main

main()
