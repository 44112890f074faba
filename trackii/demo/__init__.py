"""Trackii's demo programme: three dialogues of an invented Third Party, and the builders that load it.

`specs` says what a programme is made of; `people`, `tidewater`, `riverstone`, `lanternfield`, `funders` and
`ripeness` hold the fiction; `build` loads it (`seed_demo`); `scale` writes the benchmarks' bulk data
(`seed_scale`).
This package sits on the composition floor: it imports every app, and no app imports it.

Everything here is fiction: the countries, the conflicts, the organisations, the venues and the people. No
real person, organisation or place of a real conflict may be added (the time zones are real, the venues in
them are not). Loading is idempotent: every row has a stable natural key (codename, series title, workshop
number, pseudonym, funder name, grant reference...), and state changes go through the services, which do
nothing for a state an object is already in. Dates are relative to the day of seeding, so the demo always
has past workshops to review and upcoming ones to RSVP to.

Sealed (and superseded) summaries are not in the demo yet: a sealed summary needs a real signed PDF and its
SHA-256: they come with the sealing issue (trackii/sealing/), which will seal the in-review summaries here.
"""
