"""cleaner: clean and deduplicate English and French news text, explaining every change."""

import os

# numpy's BLAS starts a thread per core in every process that multiplies a
# matrix (the language model does), and cleaner's worker processes already
# use every core: measured, 2 workers took 3.4 times as long with BLAS
# threads as without. This takes effect when cleaner is imported before numpy.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

__version__ = "0.1.0"
__all__ = ["__version__"]
