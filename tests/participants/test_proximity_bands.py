"""Every proximity a person may have counts in one of the insight pages' bands."""

from participants.enums import PROXIMITY_BAND, Proximity, ProximityBand


def test_every_proximity_has_a_band():
    assert set(PROXIMITY_BAND) == set(Proximity)
    assert set(PROXIMITY_BAND.values()) <= set(ProximityBand)


def test_bands_are_the_five_of_the_issue_nearest_first_then_other():
    assert [band.label for band in ProximityBand] == [
        "Serving officials",
        "Former officials",
        "Close to government",
        "Civil society",
        "Independent experts",
        "Other",
    ]


def test_each_band_named_by_a_proximity_of_its_own():
    for band in ProximityBand:
        assert PROXIMITY_BAND[Proximity(band.value)] == band
