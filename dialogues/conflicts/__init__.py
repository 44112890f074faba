"""Clashes seen before they bite: who of a workshop's facilitation team, its invitees or the members one
might invite is booked at another workshop on the same days (in any dialogue), or said they cannot come."""
