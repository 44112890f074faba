"""The facilitators' workspace for workshops: series, scheduling, editing, cloning and cancelling workshops,
agendas and invitations, and the workshop page everyone with access reads. Reading the workspace needs
`view_all_workshops` on the dialogue, changing it `schedule_workshops`. Every object comes through a selector
and `fetch_or_404`, so what a user may not touch is the same 404 as what does not exist, for every method.

One module per family of pages: `workshops.py` (the workshop page; editing, cloning, cancelling, marking
held), `series.py`, `agenda.py` (the agenda builder and the run sheet) and `invitations.py` (invitations,
their actions, login invitations and recorded answers). dialogues/urls.py imports the modules."""
