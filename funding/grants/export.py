"""The accountant's CSV: every grant a convenor manages and its expenses, one row each."""

import csv

from funding.enums import ExpenseCategory
from trackii.accounts.models import User
from trackii.audit.enums import Action
from trackii.audit.services import record_event
from trackii.charts.export import csv_safe

CSV_COLUMNS = [
    "record",
    "grant reference",
    "funder",
    "funder kind",
    "third party",
    "for",
    "grant status",
    "currency",
    "grant amount",
    "grant starts",
    "grant ends",
    "expense date",
    "expense category",
    "expense amount",
    "expense description",
]


def write_grants_csv(*, out, grants, by: User) -> None:
    """Write the grants (with their expenses prefetched) to `out`, and record the export in the audit log.
    Dialogues appear by codename only."""
    grants = list(grants)
    categories = dict(ExpenseCategory.choices)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    n_expenses = 0
    for grant in grants:
        common = [
            grant.reference,
            grant.funder.name,
            grant.funder.get_kind_display(),
            grant.third_party.name,
            grant.dialogue.codename if grant.dialogue_id else "core budget",
            grant.get_status_display(),
            grant.currency,
        ]
        writer.writerow(
            [
                csv_safe(v)
                for v in ["grant", *common, grant.amount, grant.starts_on, grant.ends_on, "", "", "", ""]
            ]
        )
        for expense in grant.expenses.all():
            n_expenses += 1
            writer.writerow(
                [
                    csv_safe(v)
                    for v in [
                        "expense",
                        *common,
                        "",
                        "",
                        "",
                        expense.spent_on,
                        categories[expense.category],
                        expense.amount,
                        expense.description,
                    ]
                ]
            )
    record_event(
        actor=by,
        action=Action.EXPORT,
        target_type="funding.grant",
        detail={
            "format": "csv",
            "grants": len(grants),
            "expenses": n_expenses,
            "dialogues": sorted({g.dialogue_id for g in grants if g.dialogue_id}),
        },
    )
