"""actloss: exact values and derivatives of neural-network activation and loss functions.

The core (registry, records, kernels) imports without typer, rich or matplotlib.
"""

__version__ = "0.1.0"
