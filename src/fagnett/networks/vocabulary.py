"""Fixed vocabularies (service types, roles, competence levels) as imports and the CLI accept them: the code
or the Norwegian label, case-insensitive, built-in entries plus the network's own."""

from __future__ import annotations

from fagnett.networks.models import CompetenceLevel, Network, Role, ServiceType


def _key(value: str) -> str:
    return " ".join(value.strip().lower().replace("_", " ").split())


class Vocabulary:
    """Look-ups for one network, loaded once (two queries) so that an import of thousands of rows does not
    query per row."""

    def __init__(self, network: Network) -> None:
        # Built-in entries first, so that a network's own entry never shadows a built-in code or label.
        self.service_types: dict[str, ServiceType] = {}
        for service_type in sorted(
            ServiceType.objects.for_network(network), key=lambda t: t.network_id is not None
        ):
            self.service_types.setdefault(_key(service_type.code), service_type)
            self.service_types.setdefault(_key(service_type.name), service_type)
        self.roles: dict[str, Role] = {}
        for role in sorted(Role.objects.for_network(network), key=lambda r: r.network_id is not None):
            self.roles.setdefault(_key(role.code), role)
            self.roles.setdefault(_key(role.name), role)

    def service_type(self, value: str) -> ServiceType | None:
        return self.service_types.get(_key(value))

    def role(self, value: str) -> Role | None:
        return self.roles.get(_key(value))

    @staticmethod
    def competence_level(value: str) -> str | None:
        """'A', 'b', 'Nivå C' → the level; '' → '' (not given); anything else → None."""
        cleaned = value.strip().upper().removeprefix("NIVÅ").strip()
        if cleaned == "":
            return ""
        return cleaned if cleaned in CompetenceLevel.values else None
