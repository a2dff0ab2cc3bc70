"""gunicorn settings the service and the benchmarks share: `gunicorn -c deploy/gunicorn.conf.py`."""

import gc

# Django and the portal are loaded once, in the master, before the workers fork: a worker that
# starts (or is restarted) is ready at once instead of importing everything on its first request.
preload_app = True


def when_ready(server: object) -> None:
    """In the master, before the workers fork: load what Django loads lazily (every template
    compiled, the Thai catalogue, the URL conf) so that no worker's first person waits for it;
    then move everything loaded out of the garbage collector's sight, in every worker to come:
    those objects live as long as the workers, and the collector would otherwise walk them again
    and again while requests come and go (and touch, so copy, the pages the workers share)."""
    import logging

    from django.db import DatabaseError, connections

    from assessments.selectors import FrameworkCatalogue
    from itaportal.warm import warm_up

    warm_up()
    try:
        FrameworkCatalogue()  # the frameworks, read once for every worker (they check for edits)
    except DatabaseError:
        logging.getLogger("itaportal").warning("frameworks not preloaded: database unreachable")
    connections.close_all()  # no worker may share the master's connection
    gc.collect()
    gc.freeze()
