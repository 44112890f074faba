"""audit_append(): one statement, one round trip, for record_event on PostgreSQL
(docs/decisions/0003-audit-chain.md, "Serialised writers").

It takes the chain lock, reads the head, stamps the time and hashes the row inside the database, then inserts
it. A PL/pgSQL function is what makes this one statement and still correct: a VOLATILE function's queries each
take a fresh snapshot under READ COMMITTED, so the head it reads after the lock is granted includes the row of
the writer that held the lock before. A single INSERT … SELECT could not do that: its one snapshot is taken
before it waits for the lock, so it would read a stale head (and collide on the primary key).

The caller sends the canonical JSON of the row in two pieces (chain.py, HASHED_FIELDS): ``p_middle`` is the
actor and dialogue ids, ``p_tail`` everything after prev_hash (the text columns and detail, with the closing
bracket). The function adds the id, timestamp and prev_hash between them, exactly as chain.row_hash() does.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE FUNCTION audit_append(
    p_lock_key bigint, p_actor_id bigint, p_actor_label text, p_action text, p_outcome text,
    p_target_type text, p_target_id text, p_dialogue_id bigint, p_request_id text, p_client_ip inet,
    p_client_ip_salt text, p_client_ip_hash text, p_detail jsonb, p_middle text, p_tail text
) RETURNS TABLE (new_id bigint, new_occurred_at timestamptz, new_prev_hash text, new_row_hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head_id bigint;
    head_hash text;
    stamped timestamptz;
    hashed text;
BEGIN
    -- Held until the caller's transaction ends: writers form a queue.
    PERFORM pg_advisory_xact_lock(p_lock_key);
    -- A fresh snapshot, taken after the lock was granted: it sees the previous writer's committed row.
    SELECT e.id, e.row_hash INTO head_id, head_hash FROM audit_auditevent e ORDER BY e.id DESC LIMIT 1;
    IF NOT FOUND THEN
        head_id := 0;
        head_hash := repeat('0', 64);
    END IF;
    -- Under the lock, so occurred_at never goes backwards along the chain (now() is the transaction's start).
    stamped := clock_timestamp();
    hashed := encode(sha256(convert_to(
        head_hash || '[' || (head_id + 1)::text || ',' || p_middle || ',"'
        || to_char(stamped AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '","' || head_hash || '",'
        || p_tail, 'UTF8')), 'hex');
    INSERT INTO audit_auditevent (
        id, occurred_at, actor_id, actor_label, action, outcome, target_type, target_id, dialogue_id,
        request_id, client_ip, client_ip_salt, client_ip_hash, detail, prev_hash, row_hash
    ) VALUES (
        head_id + 1, stamped, p_actor_id, p_actor_label, p_action, p_outcome, p_target_type, p_target_id,
        p_dialogue_id, p_request_id, p_client_ip, p_client_ip_salt, p_client_ip_hash, p_detail, head_hash, hashed
    );
    RETURN QUERY SELECT head_id + 1, stamped, head_hash, hashed;
END
$$;
"""
POSTGRESQL_REVERSE = """
DROP FUNCTION IF EXISTS audit_append(
    bigint, bigint, text, text, text, text, text, bigint, text, inet, text, text, jsonb, text, text
);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forward, reverse)]
