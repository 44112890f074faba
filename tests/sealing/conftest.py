import pytest

from trackii.sealing import keys
from trackii.sealing.pdf import render_pdf
from trackii.sealing.samples import sample_summary_html
from trackii.sealing.seal import seal_pdf


@pytest.fixture(scope="session")
def rendered() -> bytes:
    return render_pdf(sample_summary_html(pages=3))


@pytest.fixture(scope="session")
def sealed(rendered) -> bytes:
    return seal_pdf(rendered, reason="Sealed summary", document_id="summary:12:v3")


@pytest.fixture
def use_p12(settings):
    """Point the settings at a given PKCS#12 file for one test; the usual key is back afterwards."""

    def use(path, passphrase):
        settings.TRACKII_SIGNING_P12 = str(path)
        settings.TRACKII_SIGNING_P12_PASSPHRASE = passphrase
        keys.load_identity.cache_clear()

    yield use
    keys.load_identity.cache_clear()


@pytest.fixture
def other_p12(tmp_path):
    path = tmp_path / "other.p12"
    path.write_bytes(keys.generate_identity_p12(common_name="Someone else", passphrase="other-passphrase"))
    return path
