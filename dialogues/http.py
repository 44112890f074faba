"""The HTTP methods each view of dialogues accepts, named once (HEAD goes with GET)."""

GET, GET_POST, POST = ["GET", "HEAD"], ["GET", "HEAD", "POST"], ["POST"]
