"""The spiral playground: a Streamlit app on nnlib (see README.md).

BLAS runs on one thread here. The server trains many tabs at once, each in its own thread, and BLAS's own
threads then only fight them for the cores: a 100-row grid slice through 8 × 256 took 5.9 ms with two BLAS
threads beside one busy core, 2.1 ms with one.
"""

import numpy  # noqa: F401  (loads OpenBLAS: until it is loaded, the limit below finds no BLAS to limit)
from threadpoolctl import threadpool_limits

threadpool_limits(limits=1, user_api="blas")
