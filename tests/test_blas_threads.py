"""playground runs BLAS on one thread (playground/__init__.py), in a server as much as in a test."""

import subprocess
import sys

BLAS_THREADS = (
    "import playground, numpy\n"
    "from threadpoolctl import threadpool_info\n"
    "print([pool['num_threads'] for pool in threadpool_info() if pool['user_api'] == 'blas'])"
)


def test_blas_runs_on_one_thread_when_playground_is_imported_before_numpy():
    """As a server imports it (app.py): nothing has loaded NumPy's BLAS yet, which then came with a thread a core,
    and one of them spun beside the frame builders (0.6 of a core at 8 × 256)."""
    shown = subprocess.run([sys.executable, "-c", BLAS_THREADS], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[1]"
