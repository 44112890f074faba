"""Run inside an installation (`python -m tests.stored_documents`): every PDF it stores, decrypted and checked
by the project's own verification, as JSON on one line. tests/test_backup.py runs it before a backup and
after the restore."""

import hashlib
import json

import django


def main() -> None:
    django.setup()
    from dialogues.models import Summary, SummaryCopy
    from dialogues.summaries.selectors import copy_pdf, sealed_pdf_of
    from funding.disclosures.selectors import disclosure_pdf
    from funding.models import Disclosure
    from trackii.accounts.models import User
    from trackii.sealing.verify import verify_pdf

    def verdict(data: bytes, sha256: str) -> dict:
        checked = verify_pdf(data)
        return {"ok": checked.ok, "sha256": hashlib.sha256(data).hexdigest() == sha256 == checked.sha256}

    documents = {}
    for summary in Summary.objects.exclude(sealed_pdf=None):
        documents[f"summary {summary.pk}"] = verdict(sealed_pdf_of(summary=summary), summary.sealed_sha256)
    for copy in SummaryCopy.objects.all():
        documents[f"copy {copy.copy_code}"] = verdict(copy_pdf(copy=copy), copy.sha256)
    for disclosure in Disclosure.objects.exclude(pdf=None):
        documents[f"disclosure {disclosure.pk}"] = verdict(
            disclosure_pdf(disclosure=disclosure), disclosure.sha256
        )
    # A login is found through the blind index of its e-mail: only the right index key finds it.
    print(
        json.dumps(
            {
                "documents": documents,
                "login_found": User.objects.filter(email="convenor@example.org").exists(),
            }
        )
    )


if __name__ == "__main__":
    main()
