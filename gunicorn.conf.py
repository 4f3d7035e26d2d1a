# Read by gunicorn from the directory it is started in (see README, Production).
# Everything else (workers, address, logs) is given on the command line.
logger_class = "association.gunicorn_logging.PrivateLinkLogger"
