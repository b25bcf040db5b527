"""Site parsers, one module per portal; importing this package registers them all."""

from . import fzzx, lnfz  # noqa: F401  (registration side effect)
