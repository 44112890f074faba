"""Workshop summaries in the browser: drafting with a live preview and the attribution check, the
participants' review round, sealing and its progress, the sealed summary with each reader's own copy,
amendments, the ground rules a member confirms before reading, and the reading room.

Writing (drafts, review, sealing, amendments) needs `draft_summaries` on the dialogue: its convenors,
facilitators and rapporteurs, never a break-glass grant. Reading is what `summaries_for_user` allows: a sealed
version's frozen audience and the facilitation team, a draft in review also its reviewers (the attendees).
Everyone else gets the same 404 as for a summary that does not exist, on every URL, method and format.

One module per family of pages: `drafts.py` (the summary's page at every stage, drafting, amending),
`review.py` (the review round), `versions.py` (the summary's languages and its parallel versions),
`sealing.py` and `reading.py` (downloads, ground rules, the reading room); the review's steering is in
`steering/views.py`. dialogues/urls.py imports the modules."""
