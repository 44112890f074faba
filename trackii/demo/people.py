"""The demo's invented Third Party, its logins and its people (all fiction)."""

from participants.enums import Proximity, Risk
from trackii.demo.specs import Login, PersonSpec

# --- The programme ----------------------------------------------------------------------------------------

THIRD_PARTY = {"name": "Halden Centre for Dialogue", "short_name": "Halden Centre", "country": "Aldria"}

LOGINS = (
    Login("convenor@example.org", "convenor", "convenes tidewater, riverstone and lanternfield", "P-1"),
    Login(
        "convenor2@example.org",
        "convenor",
        "second convenor of tidewater and riverstone: confirms flagged funder conditions",
        "P-2",
    ),
    Login("facilitator@example.org", "facilitator", "facilitates tidewater and riverstone", "P-3"),
    Login("rapporteur@example.org", "rapporteur", "drafts the tidewater summaries", "P-4"),
    Login(
        "participant@example.org",
        "participant",
        "tidewater (Veloria): attended tidewater workshop 1, whose summary is in review",
        "P-5",
    ),
    Login(
        "participant2@example.org",
        "participant",
        "tidewater (Kessarine): declined workshop 1, attended workshop 2, whose summary is sealed",
        "P-6",
    ),
    Login("participant3@example.org", "participant", "riverstone only (Lunmark)", "P-7"),
    Login(
        "funder@example.org",
        "funder officer",
        "Aldmere Peace Foundation (funds tidewater): disclosure reports only",
        "P-8",
    ),
    Login("auditor@example.org", "auditor", "staff: audit log, no dialogue role", "P-9", staff=True),
    Login(
        "admin@example.org",
        "administrator",
        "superuser: accounts and audit, no dialogue content",
        "P-10",
        staff=True,
        superuser=True,
    ),
    Login(
        "admin2@example.org",
        "administrator",
        "second administrator (not superuser): confirms staff invitations and role changes",
        "P-45",
        staff=True,
    ),
)

_P = Proximity


def _north(latin: str) -> dict:
    """Lanternfield's northern communities write Russian: the name in Cyrillic, its Latin form on file too."""
    return {"languages": ("ru", "en"), "other_names": (latin,)}


def _south(latin: str) -> dict:
    """Lanternfield's southern communities write Armenian: the name in Armenian, its Latin form too."""
    return {"languages": ("hy", "en"), "other_names": (latin,)}


PEOPLE = (
    # The Third Party's staff and the funders' officers (with logins, except P-43 and P-44).
    PersonSpec(
        "P-1",
        "Maren Holtvik",
        _P.OTHER,
        "Halden Centre for Dialogue, director of programmes",
        languages=("en", "no"),
        email="convenor@example.org",
    ),
    PersonSpec(
        "P-2",
        "Tobias Erlenmark",
        _P.FORMER_OFFICIAL,
        "Halden Centre for Dialogue, senior adviser",
        languages=("en", "de"),
        email="convenor2@example.org",
    ),
    PersonSpec(
        "P-3",
        "Ayla Deverin",
        _P.ACADEMIC,
        "Halden Centre for Dialogue, facilitator",
        languages=("en", "fr"),
        email="facilitator@example.org",
    ),
    PersonSpec(
        "P-4",
        "Jonah Paskett",
        _P.OTHER,
        "Halden Centre for Dialogue, rapporteur",
        email="rapporteur@example.org",
    ),
    PersonSpec(
        "P-5",
        "Corvin Asteli",
        _P.FORMER_OFFICIAL,
        "formerly Velorian Ministry of Maritime Affairs",
        languages=("en", "vl"),
        email="participant@example.org",
    ),
    PersonSpec(
        "P-6",
        "Nadira Kessov",
        _P.SECURITY_SECTOR,
        "Kessarine Naval Staff College",
        risk=Risk.ELEVATED,
        languages=("en", "ks"),
        email="participant2@example.org",
    ),
    PersonSpec(
        "P-7",
        "Esmé Vantobel",
        _P.CIVIL_SOCIETY,
        "Lunmark Riverkeepers Association",
        languages=("en", "fr"),
        email="participant3@example.org",
    ),
    PersonSpec(
        "P-8",
        "Rupert Quillane",
        _P.OTHER,
        "Aldmere Peace Foundation, programme officer",
        email="funder@example.org",
    ),
    PersonSpec(
        "P-9",
        "Hedda Lornquist",
        _P.OTHER,
        "Halden Centre for Dialogue, compliance",
        email="auditor@example.org",
    ),
    PersonSpec(
        "P-10", "Samir Oberlauf", _P.OTHER, "Halden Centre for Dialogue, IT", email="admin@example.org"
    ),
    PersonSpec(
        "P-45", "Linnea Brask", _P.OTHER, "Halden Centre for Dialogue, IT", email="admin2@example.org"
    ),
    # tidewater: Veloria
    PersonSpec(
        "P-11", "Ilario Penrath", _P.ADVISER, "Office of the Velorian Prime Minister", languages=("vl",)
    ),
    PersonSpec("P-12", "Saskia Morlaine", _P.PARLIAMENTARIAN, "Velorian Assembly, foreign affairs committee"),
    PersonSpec("P-13", "Benedek Sorrow", _P.BUSINESS, "Corvel Fishing Cooperative", languages=("vl", "en")),
    PersonSpec("P-14", "Yusra Tallent", _P.ACADEMIC, "University of Port Aster, law of the sea"),
    PersonSpec("P-15", "Oren Valcourt", _P.SERVING_OFFICIAL, "Velorian Coast Guard", risk=Risk.ELEVATED),
    # tidewater: Kessarine Federation
    PersonSpec(
        "P-16",
        "Dmitra Ostrova",
        _P.FORMER_OFFICIAL,
        "formerly Kessarine Foreign Ministry",
        languages=("ks", "en"),
    ),
    PersonSpec("P-17", "Halvor Brisk", _P.JOURNALIST, "Kessarine Maritime Review", risk=Risk.ELEVATED),
    PersonSpec("P-18", "Leontyne Faro", _P.BUSINESS, "Southern Kessarine Trawler Owners"),
    PersonSpec("P-19", "Amadou Reisz", _P.RELIGIOUS_LEADER, "Council of Coastal Parishes"),
    PersonSpec(
        "P-20", "Kaspar Lindqvel", _P.ADVISER, "Kessarine Presidential Administration", risk=Risk.ELEVATED
    ),
    # tidewater: observer and a resource person (who also serves riverstone and lanternfield)
    PersonSpec("P-21", "Fenna Aldous", _P.FORMER_OFFICIAL, "formerly Aldrian Ministry of Foreign Affairs"),
    PersonSpec(
        "P-22",
        "Theo Marchetti-Blum",
        _P.ACADEMIC,
        "Institute for Shared Waters, Aldria",
        languages=("en", "fr", "de"),
    ),
    # riverstone: Dravenia, Kessarine Federation, Lunmark
    PersonSpec(
        "P-23", "Vesna Draganova", _P.SERVING_OFFICIAL, "Dravenian Water Authority", risk=Risk.ELEVATED
    ),
    PersonSpec("P-24", "Rostam Ilyenko", _P.PARLIAMENTARIAN, "Dravenian National Council"),
    PersonSpec("P-25", "Margit Selloway", _P.CIVIL_SOCIETY, "Upper Tamsa Farmers' Union"),
    PersonSpec("P-26", "Cyprian Ostler", _P.ADVISER, "Kessarine Ministry of Agriculture"),
    PersonSpec("P-27", "Lena Vaskovic", _P.ACADEMIC, "Kessarine Institute of Hydrology"),
    PersonSpec("P-28", "Anselm Korrigan", _P.SERVING_OFFICIAL, "Lunmark Foreign Office", risk=Risk.ELEVATED),
    PersonSpec("P-29", "Priya Dalmont", _P.BUSINESS, "Lunmark Hydropower Company"),
    PersonSpec("P-30", "Jorun Talavera", _P.JOURNALIST, "Tamsa Valley Courier"),
    PersonSpec("P-31", "Emeric Solano", _P.FORMER_OFFICIAL, "formerly Dravenian Ministry of Energy"),
    # lanternfield: northern and southern Ostmark communities
    # Their names are on file in their own script (Cyrillic in the north, Armenian in the south) with the
    # Latin form as another form of the name, so the attribution guard has both to look for (issue 22).
    PersonSpec(
        "P-32", "Алина Бреннова", _P.CIVIL_SOCIETY, "North Isles Women's Network", **_north("Alina Brennova")
    ),
    PersonSpec(
        "P-33", "Томаш Вырин", _P.RELIGIOUS_LEADER, "Harbour Chapel, Eastreach", **_north("Tomash Vyrin")
    ),
    PersonSpec(
        "P-34",
        "Кирилл Арвудов",
        _P.JOURNALIST,
        "Ostmark Free Radio",
        risk=Risk.ELEVATED,
        **_north("Kirill Arvudov"),
    ),
    PersonSpec(
        "P-35", "Рина Квайдова", _P.CIVIL_SOCIETY, "Northern Youth Assembly", **_north("Rina Kvaidova")
    ),
    PersonSpec(
        "P-36", "Василий Оконев", _P.ACADEMIC, "Ostmark College of the Isles", **_north("Vasily Okonev")
    ),
    PersonSpec(
        "P-37", "Միրելա Կաստանյան", _P.CIVIL_SOCIETY, "Southern Fishers' Mutual", **_south("Mirela Kastanyan")
    ),
    PersonSpec(
        "P-38",
        "Արամ Վեննյան",
        _P.RELIGIOUS_LEADER,
        "South Isles Council of Elders",
        risk=Risk.ELEVATED,
        **_south("Aram Vennyan"),
    ),
    PersonSpec("P-39", "Լիլիթ Ռուադյան", _P.BUSINESS, "Southreach Ferries", **_south("Lilit Ruadyan")),
    PersonSpec(
        "P-40", "Գագիկ Մարաբյան", _P.CIVIL_SOCIETY, "Southern Youth Forum", **_south("Gagik Marabyan")
    ),
    PersonSpec(
        "P-41", "Սոնա Հալեյան", _P.PARLIAMENTARIAN, "Ostmark Island Council", **_south("Sona Haleyan")
    ),
    PersonSpec("P-42", "Lukas Ferrante", _P.OTHER, "Isles Community Radio Trust"),
    # Officers of the other two funders (no logins).
    PersonSpec(
        "P-43", "Annika Brennholt", _P.SERVING_OFFICIAL, "Grand Duchy of Brenn, Ministry of External Affairs"
    ),
    PersonSpec("P-44", "Oswin Calder", _P.OTHER, "Concord Fund for Regional Stability"),
    # The "usual suspect" (issue 21): an observer in all three dialogues, at nearly every workshop.
    PersonSpec(
        "P-46",
        "Ottilie Varga-Lenz",
        _P.FORMER_OFFICIAL,
        "formerly Aldrian special envoy; sits on three advisory boards",
        languages=("en", "de", "fr"),
    ),
)
