"""gunicorn settings for the web processes (``gunicorn -c deploy/gunicorn.conf.py``)."""

import multiprocessing
import os

wsgi_app = "memorial.wsgi:application"
bind = os.environ.get("MEMORIAL_BIND", "127.0.0.1:8000")
# Web processes are light (torch and c2pa are imported lazily by the workers only).
workers = int(os.environ.get("MEMORIAL_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = 2
timeout = 60
# Uploads (source media, clips to verify) stream to disk; keep slow clients from pinning workers.
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("MEMORIAL_FORWARDED_ALLOW_IPS", "127.0.0.1")
