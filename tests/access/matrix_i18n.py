"""Access-matrix rows for the language switch (issue 22). Same format as tests/access/matrix.py.

Anyone may choose a language, signed in or not: an empty POST changes nothing and goes back to "/"."""

I18N_MATRIX: dict = {
    "set_language": {"GET": {"*": "405"}, "POST": {"*": "302"}},
}
