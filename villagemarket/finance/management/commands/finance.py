"""`villagemarket finance reconcile`: the reconciliation report in a terminal (or a cron job).

Exit status 0 when everything agrees, 1 when there is at least one mismatch (each is printed).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Operator finance: reconcile the ledger with payments, orders, refunds and payouts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rec = sub.add_parser(
            "reconcile",
            help="compare the ledger with payments, orders, refunds and withdrawals; exit 1 "
            "when anything differs",
        )
        rec.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action)(**options)

    def do_reconcile(self, *, no_progress, **_):
        from villagemarket.finance.reconciliation import reconcile

        report = reconcile() if no_progress else self._with_progress()
        checked = report.checked
        self.stdout.write(
            f"checked {checked['payments']} payments, {checked['orders']} completed orders, "
            f"{checked['refunds']} refunds, {checked['withdrawals']} paid withdrawals, "
            f"{checked['ledger_transactions']} ledger transactions"
        )
        for line in report.escrow:
            self.stdout.write(
                f"escrow {line.currency}: captured {line.captured} - refunded {line.refunded} "
                f"- settled {line.settled} = {line.expected}; the ledger holds {line.held}"
            )
        for m in report.mismatches:
            self.stdout.write(f"MISMATCH {m.kind}: {m.message}")
        if report.all_agree:
            self.stdout.write("all agree: no mismatch")
            return
        raise CommandError(f"{len(report.mismatches)} mismatch(es)", returncode=1)

    def _with_progress(self):
        from rich.progress import Progress

        from villagemarket.finance.reconciliation import reconcile

        with Progress(transient=True) as bar:
            tasks: dict[str, int] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))

            return reconcile(progress=report)
