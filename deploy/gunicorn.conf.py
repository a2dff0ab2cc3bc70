"""gunicorn settings the service and the benchmarks share: `gunicorn -c deploy/gunicorn.conf.py`."""

import gc


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded Django, move everything it loaded out of the garbage collector's
    sight: those objects live as long as the worker, and the collector would otherwise walk them
    again and again while requests come and go."""
    gc.collect()
    gc.freeze()
