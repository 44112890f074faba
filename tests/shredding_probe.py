"""Run inside an installation (`python -m tests.shredding_probe <dialogue id>`): every encrypted value and
stored PDF the database holds, decrypted from its raw token and counted by whose key it is under (that
dialogue's, or another) and by what decrypting it gave, as JSON on one line. tests/test_data_keys.py runs it
on a database restored from a backup taken before the dialogue was destroyed."""

import json
import sys
from collections import Counter

import django


def main(dialogue_id: int) -> None:
    django.setup()
    from django.db import models

    from dialogues.models import Dialogue, Summary, SummaryCopy
    from dialogues.summaries.documents import copy_context, summary_context
    from trackii.crypto import DecryptionError, KeyDestroyed, data_key_id_of, decrypt
    from trackii.keycheck import encrypted_columns

    key_id = Dialogue.objects.values_list("data_key_id", flat=True).get(pk=dialogue_id)
    counts: Counter = Counter()

    def count(token, context: bytes) -> None:
        if token is None:
            return
        token = bytes(token)
        whose = "dialogue" if data_key_id_of(token) == key_id else "other"
        try:
            decrypt(token, context=context)
            outcome = "read"
        except KeyDestroyed:
            outcome = "destroyed"
        except DecryptionError:
            outcome = "unreadable"
        counts[f"{whose} {outcome}"] += 1

    def raw(name: str):
        return models.ExpressionWrapper(models.F(name), output_field=models.BinaryField())

    for model, fields in encrypted_columns():
        for field in fields:
            for token in model._base_manager.annotate(raw=raw(field.attname)).values_list("raw", flat=True):
                count(token, field.encryption_context)
    for summary in Summary.objects.exclude(sealed_pdf=None).annotate(raw=raw("sealed_pdf")):
        count(summary.raw, summary_context(summary))
    for copy in SummaryCopy.objects.annotate(raw=raw("pdf")):
        count(copy.raw, copy_context(copy.copy_code))
    print(json.dumps(dict(counts), sort_keys=True))


if __name__ == "__main__":
    main(int(sys.argv[1]))
