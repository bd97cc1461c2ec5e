from __future__ import annotations

from django.urls import path

from provenance import api, views

urlpatterns = [
    path("ledger/", views.ledger_page, name="ledger-page"),
    path("api/ledger/checkpoint/", api.CheckpointView.as_view(), name="ledger-checkpoint"),
    path("api/ledger/public-key/", api.PublicKeyView.as_view(), name="ledger-public-key"),
    path("api/ledger/entries/", api.EntriesView.as_view(), name="ledger-entries"),
    path("api/ledger/proof/inclusion/", api.InclusionProofView.as_view(), name="ledger-inclusion"),
    path(
        "api/ledger/proof/consistency/",
        api.ConsistencyProofView.as_view(),
        name="ledger-consistency",
    ),
]
