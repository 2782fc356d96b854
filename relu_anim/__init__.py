"""relu-anim: lecture animations that explain why ReLU networks work."""

import os as _os

# The core works on small matrices (at most 2001 x 129): BLAS threads only add overhead, and
# on a busy 2-core machine they made one small QR 200x slower. Set before numpy loads;
# an explicit setting in the environment wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
