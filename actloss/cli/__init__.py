"""The command-line interface: an adapter over the library (parse, call, render).

``main`` (the console entry point, ``actloss.cli.entry``) is imported without typer; ``app`` (the
Typer app, ``actloss.cli.typer_app``, the one declaration of the command line) is built only when asked for.
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
