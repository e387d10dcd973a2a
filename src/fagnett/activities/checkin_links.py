"""Personal check-in links: a participant without a login (or not logged in on their phone) checks in
through a link from their confirmation e-mail.

The link is the room's check-in address plus a signed value naming the person and the activity
(django.core.signing, keyed by SECRET_KEY), so no token is stored and nothing needs a migration. The
activity is in the signed value as well as in the URL's check-in token: a link for one activity cannot be
used with another activity's token. The link carries only primary keys, never a name or an address.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from fagnett.activities.models import Activity
from fagnett.core.links import absolute_url
from fagnett.networks.models import Person

SALT = "activities.checkin.personal"


def personal_token(activity: Activity, person: Person) -> str:
    return signing.dumps({"p": person.pk, "a": activity.pk}, salt=SALT, compress=True)


def personal_checkin_path(activity: Activity, person: Person) -> str:
    return reverse(
        "activities:checkin_personal", args=[activity.checkin_token, personal_token(activity, person)]
    )


def personal_checkin_url(activity: Activity, person: Person) -> str:
    return absolute_url(personal_checkin_path(activity, person))


def person_for_token(activity: Activity, signed: str) -> Person | None:
    """The person a personal link names, or None when the signature is bad, the link is for another
    activity, or the person is no longer in the activity's network."""
    try:
        value = signing.loads(signed, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("a") != activity.pk:
        return None
    person_pk = value.get("p")
    if not isinstance(person_pk, int):
        return None
    return Person.objects.filter(pk=person_pk, network_id=activity.network_id).first()
