"""Pure measurement core: the partial credit model, EAP ability with its standard error,
calibration of item parameters, adaptive item selection and a simulation that checks them.

Nothing here knows about Flask, the database or the rest of the application: the callers turn
rows into plain values (item parameters, categories) and get plain values back. See
docs/measurement.md for the design and the figures.
"""

from __future__ import annotations

from .estimate import Ability, Posterior, Prior, band95, eap
from .model import ItemParams, prior_params

__all__ = ["Ability", "ItemParams", "Posterior", "Prior", "band95", "eap", "prior_params"]
