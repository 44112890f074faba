import functools
import zoneinfo
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@functools.cache
def known_timezones() -> frozenset[str]:
    """Every name the installed tz database knows, read once per process: listing them walks its folder,
    some 70 ms, too slow for every form and every save."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Any zone the tz database knows, old names included: a workshop saved under "Africa/Asmera" years ago
    must stay editable. Which zones are *offered* is `canonical_timezones`."""
    if not isinstance(value, str) or value not in known_timezones():
        raise ValidationError(
            _(
                "Trackii does not know the time zone “%(zone)s”. Choose one from the list, "
                "such as Europe/Oslo "
                "or Asia/Singapore."
            )
            % {"zone": value},
            code="unknown_timezone",
        )


@functools.cache
def canonical_timezones() -> tuple[str, ...]:
    """The zones people pick from, sorted: the tz database's own list of current zones, one or more per
    country (its zone.tab, which pickers in operating systems use too), and UTC. Left out are the ~180 names
    the database keeps only so that old settings go on working (Africa/Asmera, Asia/Calcutta, US/Eastern,
    Etc/GMT+3…). Read once per process from the installed tz data, so it follows its updates; where that
    data has no zone.tab, every name with a region, as before."""
    known = known_timezones()
    for root in zoneinfo.TZPATH:
        table = Path(root) / "zone.tab"
        if table.is_file():
            rows = (line.split("\t") for line in table.read_text(encoding="utf-8").splitlines())
            names = {row[2].strip() for row in rows if len(row) >= 3 and not row[0].startswith("#")}
            break
    else:
        names = {name for name in known if "/" in name}
    return tuple(sorted((names & known) | {"UTC"}))
