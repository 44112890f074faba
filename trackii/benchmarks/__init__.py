"""`make bench`: Trackii's key pages measured through gunicorn, as `make run` serves them (issue 17).

``server`` starts gunicorn with the web command of trackii/runtime/supervisord.conf, ``logins`` picks and
prepares the accounts each role is measured as, ``browser`` logs them in over HTTP like a browser (CSRF and
the second factor included) and ``wrk`` loads each page with Debian's wrk. The command that ties them
together is ``manage.py bench_http``.
"""
