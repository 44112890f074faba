import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trackii.settings")
application = get_wsgi_application()

# A web process started with a key ring that is not its database's would write values no one can read with the
# right ring: gunicorn stops when its workers cannot boot (decision 0016). Checked once per process.
from trackii.keycheck import refuse_a_wrong_ring  # noqa: E402 (needs the app registry loaded above)

refuse_a_wrong_ring("web server")
