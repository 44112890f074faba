"""The HTTP methods each view of dialogues accepts, named once (HEAD goes with GET, but for an audited
download)."""

GET, GET_POST, POST = ["GET", "HEAD"], ["GET", "HEAD", "POST"], ["POST"]
# An audited download (a CSV whose every download writes an INSIGHT_EXPORTED row) answers GET only: a HEAD
# would write the row without sending the file.
DOWNLOAD = ["GET"]
