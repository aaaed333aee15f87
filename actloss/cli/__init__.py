"""The command-line interface: thin commands over the core.

``main`` (the console entry point, ``actloss.cli.entry``) is imported without typer; ``app`` (the typer
app, ``actloss.cli.typer_app``) is built only when asked for.
"""


def __getattr__(name):
    if name == "main":
        from actloss.cli.entry import main

        return main
    if name == "app":
        from actloss.cli.typer_app import app

        return app
    raise AttributeError(name)


__all__ = ["app", "main"]
