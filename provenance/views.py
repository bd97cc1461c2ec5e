"""The public transparency-log page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from provenance import checkpoints, ledger
from provenance.models import LedgerEntry


def ledger_page(request: HttpRequest) -> HttpResponse:
    size = ledger.tree_size()
    recent = LedgerEntry.objects.order_by("-index")[:50]
    context = {
        "size": size,
        "checkpoint": checkpoints.latest(),
        "recent": [(e, bytes(e.leaf_hash).hex()) for e in recent],
        "verifier_key": checkpoints.verifier_key(
            checkpoints.origin(), checkpoints.log_public_key()
        ),
    }
    return render(request, "provenance/ledger.html", context)
