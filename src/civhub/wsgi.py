import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civhub.settings")
# One thread each for the embedding model (OpenMP) and numpy (OpenBLAS) in web processes: run
# one after the other on the same cores, their spinning threads fight and a search's p95
# grows tenfold (docs/benchmarks.md). Set before numpy is first imported.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
application = get_wsgi_application()
