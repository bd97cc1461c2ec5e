"""The public, read-only transparency API of the audit ledger (like a CT log's)."""

from __future__ import annotations

import base64
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from provenance import checkpoints, ledger
from provenance import serializers as s
from provenance.models import Checkpoint, LedgerEntry

_BAD = OpenApiResponse(description="bad parameters: a message says which")


class _PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    def query(
        self, serializer_class: type[drf.Serializer[Any]], request: Request
    ) -> dict[str, Any]:
        serializer = serializer_class(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _checkpoint_data(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "origin": checkpoints.origin(),
        "tree_size": checkpoint.tree_size,
        "root_hash": bytes(checkpoint.root_hash).hex(),
        "time": checkpoint.time,
        "note": checkpoint.note,
    }


def _latest_checkpoint() -> Checkpoint:
    """The newest signed checkpoint; signs one now if the log has none or has grown since."""
    made = checkpoints.make_checkpoint(only_if_grown=True)
    latest = made or checkpoints.latest()
    assert latest is not None  # noqa: S101 - make_checkpoint made one if none existed
    return latest


class CheckpointView(_PublicView):
    @extend_schema(responses={200: s.CheckpointSerializer}, summary="Latest signed checkpoint")
    def get(self, request: Request) -> Response:
        return Response(s.CheckpointSerializer(_checkpoint_data(_latest_checkpoint())).data)


class PublicKeyView(_PublicView):
    @extend_schema(responses={200: s.PublicKeySerializer}, summary="The log's signing key")
    def get(self, request: Request) -> Response:
        public = checkpoints.log_public_key()
        data = {
            "origin": checkpoints.origin(),
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(public).decode(),
            "verifier_key": checkpoints.verifier_key(checkpoints.origin(), public),
        }
        return Response(s.PublicKeySerializer(data).data)


class EntriesView(_PublicView):
    @extend_schema(
        parameters=[s.EntriesQuery],
        responses={200: s.EntriesPageSerializer, 400: _BAD},
        summary="Entries by index range",
    )
    def get(self, request: Request) -> Response:
        q = self.query(s.EntriesQuery, request)
        size = ledger.tree_size()
        if q["start"] >= size:
            raise drf.ValidationError({"start": f"the log has {size} entries"})
        rows = LedgerEntry.objects.filter(index__gte=q["start"], index__lt=q["end"])
        entries = [
            {
                "index": e.index,
                "time": e.time,
                "event_type": e.event_type,
                "actor": e.actor,
                "subjects": e.subjects,
                "payload": e.payload,
                "leaf_hash": bytes(e.leaf_hash).hex(),
            }
            for e in rows.order_by("index")
        ]
        return Response(s.EntriesPageSerializer({"tree_size": size, "entries": entries}).data)


class InclusionProofView(_PublicView):
    @extend_schema(
        parameters=[s.InclusionQuery],
        responses={200: s.InclusionProofSerializer, 400: _BAD},
        summary="Inclusion proof of an entry, by index or leaf hash",
    )
    def get(self, request: Request) -> Response:
        q = self.query(s.InclusionQuery, request)
        size = q.get("tree_size") or _latest_checkpoint().tree_size
        try:
            if "leaf_hash" in q:
                index = ledger.index_of_leaf(bytes.fromhex(q["leaf_hash"]))
            else:
                index = q["index"]
            proof = ledger.inclusion_proof(index, size)
            leaf = ledger.fetch_nodes([(0, index)])[(0, index)]
            root = ledger.root_at(size)
        except ledger.LedgerError as exc:
            raise drf.ValidationError({"detail": str(exc)}) from exc
        data = {
            "index": index,
            "tree_size": size,
            "leaf_hash": leaf.hex(),
            "root_hash": root.hex(),
            "audit_path": [h.hex() for h in proof],
        }
        return Response(s.InclusionProofSerializer(data).data)


class ConsistencyProofView(_PublicView):
    @extend_schema(
        parameters=[s.ConsistencyQuery],
        responses={200: s.ConsistencyProofSerializer, 400: _BAD},
        summary="Consistency proof between two tree sizes",
    )
    def get(self, request: Request) -> Response:
        q = self.query(s.ConsistencyQuery, request)
        try:
            proof = ledger.consistency_proof(q["first"], q["second"])
            first_root, second_root = ledger.root_at(q["first"]), ledger.root_at(q["second"])
        except ledger.LedgerError as exc:
            raise drf.ValidationError({"detail": str(exc)}) from exc
        data = {
            "first": q["first"],
            "second": q["second"],
            "first_root": first_root.hex(),
            "second_root": second_root.hex(),
            "proof": [h.hex() for h in proof],
        }
        return Response(s.ConsistencyProofSerializer(data).data)
