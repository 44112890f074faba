"""The ripeness log (issue 21): dated entries about the official process (talks opened or broken down, an
election, a ceasefire) that a dialogue's convenors and facilitators keep beside the series' timeline, so they
can ask whether the moment is ripe. The entries' words are encrypted at rest; the audit rows name the kind and
the date, never the words."""
