from __future__ import annotations

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.audit.services import changed_fields, log_action
from fagnett.networks.models import Network, Person


def test_it_records_who_what_and_which_fields_but_not_the_values(alice: User, network: Network) -> None:
    person = Person.objects.create(
        network=network, first_name="Ola", last_name="Nordmann", email="ola@example.no", phone="99887766"
    )
    before = Person.objects.get(pk=person.pk)
    person.phone = "11223344"
    log_action(
        "person.updated",
        actor=alice,
        target=person,
        network=network,
        fields=changed_fields(before, person, ["first_name", "phone", "email"]),
    )
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_label, entry.action) == (alice, "alice@example.no", "person.updated")
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "networks.person",
        str(person.pk),
        "Ola Nordmann",
    )
    assert entry.network == network
    assert entry.fields == ["phone"]
    assert "11223344" not in str(entry.data) and "99887766" not in str(entry.data)


def test_the_entry_keeps_who_acted_after_the_user_is_deleted(alice: User) -> None:
    log_action("person.created", actor=alice)
    alice.delete()
    entry = AuditEntry.objects.get(action="person.created")
    assert entry.actor is None
    assert entry.actor_label == "alice@example.no"
