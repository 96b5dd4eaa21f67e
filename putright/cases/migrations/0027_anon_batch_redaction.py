"""issue 15, anonymise: the database lets one transaction remove the text of a whole case's events.

0022 let a transaction replace the text of the one event it names (``putright.redact_event``).
Anonymising a case removes the text of every event on it; naming them one transaction each
would write one redaction event per event. This lets a transaction name a list of events
(``putright.redact_events``, ",1,2,3,"), with the same rule for each: only the summary and the
data may change, the digest and the hash stay, so the chain still verifies. The batch's own
redaction event names every event it emptied (``putright.cases.services.redaction``).
"""

from django.db import migrations

BATCH = """
CREATE OR REPLACE FUNCTION putright_timeline_is_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id
        AND (NEW.complaint_id, NEW.kind, NEW.stage_number, NEW.occurred_at, NEW.recorded_at,
             NEW.actor_id, NEW.actor_label)
            IS NOT DISTINCT FROM
            (OLD.complaint_id, OLD.kind, OLD.stage_number, OLD.occurred_at, OLD.recorded_at,
             OLD.actor_id, OLD.actor_label)
    THEN
        IF OLD.hash = '' AND NEW.summary = OLD.summary AND NEW.data = OLD.data THEN
            RETURN NEW;
        END IF;
        IF (current_setting('putright.redact_event', true) = OLD.id::text
            OR position(',' || OLD.id::text || ',' IN
                        coalesce(current_setting('putright.redact_events', true), '')) > 0)
            AND NEW.hash = OLD.hash AND NEW.text_digest = OLD.text_digest THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'timeline events are never changed or deleted; record a new event instead';
END;
$$ LANGUAGE plpgsql;
"""

ONE_AT_A_TIME = """
CREATE OR REPLACE FUNCTION putright_timeline_is_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id
        AND (NEW.complaint_id, NEW.kind, NEW.stage_number, NEW.occurred_at, NEW.recorded_at,
             NEW.actor_id, NEW.actor_label)
            IS NOT DISTINCT FROM
            (OLD.complaint_id, OLD.kind, OLD.stage_number, OLD.occurred_at, OLD.recorded_at,
             OLD.actor_id, OLD.actor_label)
    THEN
        IF OLD.hash = '' AND NEW.summary = OLD.summary AND NEW.data = OLD.data THEN
            RETURN NEW;
        END IF;
        IF current_setting('putright.redact_event', true) = OLD.id::text
            AND NEW.hash = OLD.hash AND NEW.text_digest = OLD.text_digest THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'timeline events are never changed or deleted; record a new event instead';
END;
$$ LANGUAGE plpgsql;
"""


def let_a_batch_through(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BATCH)


def one_at_a_time(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ONE_AT_A_TIME)


class Migration(migrations.Migration):
    dependencies = [("cases", "0026_vuln_vulnerabilities")]

    operations = [migrations.RunPython(let_a_batch_through, one_at_a_time)]
