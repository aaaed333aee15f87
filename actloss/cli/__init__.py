"""The command-line interface: thin commands over the core (see ``app``)."""

from actloss.cli.app import app, main

__all__ = ["app", "main"]
