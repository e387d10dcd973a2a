"""Reads of a network's priority areas and economy for one year: pure reads, one query each, whatever the
data.

- `priority_lists` / `economy_year` are what the pages and exports show (with primary keys for links);
- `priorities_year_facts` / `economy_year_facts` are JSON-ready dicts for the `plan_status` CLI and the annual
  report: keep their keys.

Amounts are Decimals throughout (never floats); `format_nok` writes them as Norwegians read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from fagnett.networks.models import Network
from fagnett.plans.models import EconomyKind, EconomyLine, PriorityArea, PriorityKind, as_json_number

NBSP = "\u00a0"
MINUS = "\u2212"
ZERO = Decimal(0)
CENTS = Decimal("0.01")


def _grouped(amount: Decimal, separator: str) -> str:
    """Digits in groups of three, decimals after a comma only when there are øre: 1 250 000 / 1 250 000,50."""
    whole, _, cents = f"{abs(amount).quantize(CENTS):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = separator.join(groups)
    if cents.strip("0"):
        text += "," + cents
    return (MINUS if amount < 0 else "") + text


def format_nok(amount: Decimal) -> str:
    """ "1 250 000 kr" with non-breaking spaces, so an amount never breaks over two lines."""
    return f"{_grouped(amount, NBSP)}{NBSP}kr"


def amount_input(amount: Decimal) -> str:
    """An amount as a form field shows it for editing: "1 250 000" or "1 250 000,50"."""
    return _grouped(amount, " ")


def amount_csv(amount: Decimal) -> str:
    """An amount as Norwegian Excel reads a number from CSV: no grouping, decimal comma, ASCII minus
    ("1250000,50", "-300")."""
    return _grouped(amount, "").replace(MINUS, "-")


# Priority areas -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityLists:
    year: int
    continued: list[PriorityArea]
    new: list[PriorityArea]


def priority_lists(network: Network, year: int) -> PriorityLists:
    rows = list(PriorityArea.objects.filter(network=network, year=year).order_by("position", "pk"))
    return PriorityLists(
        year=year,
        continued=[row for row in rows if row.kind == PriorityKind.CONTINUED],
        new=[row for row in rows if row.kind == PriorityKind.NEW],
    )


def priorities_year_facts(network: Network, year: int) -> dict[str, list[dict[str, str]]]:
    """{"continued": [{"title", "description"}], "new": [...]} for the year (keys fixed)."""
    lists = priority_lists(network, year)
    return {
        "continued": [{"title": row.title, "description": row.description} for row in lists.continued],
        "new": [{"title": row.title, "description": row.description} for row in lists.new],
    }


# Economy --------------------------------------------------------------------------------------------------

# The facts' key of each kind, in the order the page, the exports and the annual report show them.
KIND_KEYS = (
    (EconomyKind.GRANT, "grants"),
    (EconomyKind.COURSE_FEES, "course_fees"),
    (EconomyKind.OTHER_INCOME, "other_income"),
    (EconomyKind.COST, "costs"),
)


@dataclass(frozen=True)
class EconomyLineRow:
    pk: int
    kind: str
    source: str
    purpose: str
    amount: Decimal

    @property
    def amount_display(self) -> str:
        return format_nok(self.amount)


@dataclass(frozen=True)
class EconomyGroup:
    kind: str
    key: str
    label: str | Promise
    lines: list[EconomyLineRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def total_display(self) -> str:
        return format_nok(self.total)


@dataclass(frozen=True)
class EconomyTotals:
    grants: Decimal
    course_fees: Decimal
    other_income: Decimal
    costs: Decimal

    @property
    def income(self) -> Decimal:
        return self.grants + self.course_fees + self.other_income

    @property
    def result(self) -> Decimal:
        return self.income - self.costs

    def as_dict(self) -> dict[str, Decimal]:
        return {
            "grants": self.grants,
            "course_fees": self.course_fees,
            "other_income": self.other_income,
            "income": self.income,
            "costs": self.costs,
            "result": self.result,
        }

    def displayed(self) -> dict[str, str]:
        return {key: format_nok(value) for key, value in self.as_dict().items()}


@dataclass(frozen=True)
class EconomyYear:
    year: int
    groups: list[EconomyGroup]
    totals: EconomyTotals

    @property
    def has_lines(self) -> bool:
        return any(group.lines for group in self.groups)


def economy_year(network: Network, year: int) -> EconomyYear:
    """The year's lines grouped by kind, and the summary. One query; the sums are computed here in Decimal."""
    labels = dict(EconomyKind.choices)
    groups: dict[str, EconomyGroup] = {
        kind: EconomyGroup(kind=kind, key=key, label=labels[kind]) for kind, key in KIND_KEYS
    }
    for line in EconomyLine.objects.filter(network=network, year=year).order_by("position", "pk"):
        group = groups.get(line.kind)
        if group is not None:
            group.lines.append(
                EconomyLineRow(
                    pk=line.pk, kind=line.kind, source=line.source, purpose=line.purpose, amount=line.amount
                )
            )
    totals = EconomyTotals(
        grants=groups[EconomyKind.GRANT].total,
        course_fees=groups[EconomyKind.COURSE_FEES].total,
        other_income=groups[EconomyKind.OTHER_INCOME].total,
        costs=groups[EconomyKind.COST].total,
    )
    return EconomyYear(year=year, groups=list(groups.values()), totals=totals)


def economy_year_facts(network: Network, year: int) -> dict[str, Any]:
    """{"grants": [{"source", "purpose", "amount"}], "course_fees", "other_income", "costs", "totals": {…}}
    with amounts as JSON numbers (keys fixed)."""
    economy = economy_year(network, year)
    facts: dict[str, Any] = {
        group.key: [
            {"source": line.source, "purpose": line.purpose, "amount": as_json_number(line.amount)}
            for line in group.lines
        ]
        for group in economy.groups
    }
    facts["totals"] = {key: as_json_number(value) for key, value in economy.totals.as_dict().items()}
    return facts
