"""Shorthands for the access matrix rows."""

ANON = "302 302 302"  # anonymous visitors go to the login page, whatever the id
NOT_FOUND = "404 404 404"
