# Read by gunicorn from the directory it is started in (scripts/run.sh and README,
# Production). Workers and the address are given on the command line.

# The access log writes private links as *** and the client's own address behind the
# proxies (PROXY_COUNT), as the rest of the portal reads it.
logger_class = "config.gunicorn_logging.PrivateLinkLogger"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# A request that runs longer than this is cut off and its worker restarted: nothing holds
# a worker (or its database connection) for good. Reports run in Celery, not here.
timeout = 30
graceful_timeout = 20
# Workers are replaced after a number of requests, staggered, so that no slow leak grows
# (on a busy day, a worker serves this many in a few minutes; a restart costs a second).
max_requests = 50000
max_requests_jitter = 5000
# Worker heartbeats in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm"
# No control socket: several gunicorns on one machine (nodes, checkouts) would share its path.
control_socket_disable = True


def post_worker_init(worker):
    """Once the worker has loaded the portal, its modules, URL patterns and settings are
    moved out of the garbage collector's sight (``gc.freeze``): they live as long as the
    worker, and walking them again at every full collection paused a request that built a
    large answer (a page of 100 statistics returns) by 80 ms every few requests."""
    import gc

    gc.freeze()
