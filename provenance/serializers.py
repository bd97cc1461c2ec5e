"""Shapes of the public ledger API (read-only)."""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_PAGE = 1000


class CheckpointSerializer(serializers.Serializer[Any]):
    origin = serializers.CharField()
    tree_size = serializers.IntegerField()
    root_hash = serializers.CharField(help_text="hex SHA-256")
    time = serializers.DateTimeField()
    note = serializers.CharField(help_text="C2SP signed note (tlog-checkpoint body)")


class PublicKeySerializer(serializers.Serializer[Any]):
    origin = serializers.CharField()
    algorithm = serializers.CharField()
    public_key = serializers.CharField(help_text="base64 raw Ed25519 public key")
    verifier_key = serializers.CharField(help_text="signed-note verifier key string")


class EntrySerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    time = serializers.DateTimeField()
    event_type = serializers.CharField()
    actor = serializers.CharField()
    subjects = serializers.DictField()
    payload = serializers.DictField()
    leaf_hash = serializers.CharField(help_text="hex SHA-256(0x00 || RFC 8785 leaf)")


class EntriesPageSerializer(serializers.Serializer[Any]):
    tree_size = serializers.IntegerField()
    entries = EntrySerializer(many=True)


class EntriesQuery(serializers.Serializer[Any]):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1, help_text=f"exclusive; at most start+{MAX_PAGE}")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError("end must be greater than start")
        if attrs["end"] - attrs["start"] > MAX_PAGE:
            raise serializers.ValidationError(f"at most {MAX_PAGE} entries per request")
        return attrs


class InclusionQuery(serializers.Serializer[Any]):
    index = serializers.IntegerField(min_value=0, required=False)
    leaf_hash = serializers.CharField(required=False, help_text="hex SHA-256 leaf hash")
    tree_size = serializers.IntegerField(
        min_value=1, required=False, help_text="defaults to the latest checkpoint's size"
    )

    def validate_leaf_hash(self, value: str) -> str:
        if not _HEX64.match(value.lower()):
            raise serializers.ValidationError("leaf_hash must be 64 hexadecimal characters")
        return value.lower()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("index" in attrs) == ("leaf_hash" in attrs):
            raise serializers.ValidationError("give exactly one of index and leaf_hash")
        return attrs


class InclusionProofSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    leaf_hash = serializers.CharField()
    root_hash = serializers.CharField()
    audit_path = serializers.ListField(child=serializers.CharField(), help_text="hex hashes")


class ConsistencyQuery(serializers.Serializer[Any]):
    first = serializers.IntegerField(min_value=1)
    second = serializers.IntegerField(min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["first"] > attrs["second"]:
            raise serializers.ValidationError("first must not exceed second")
        return attrs


class ConsistencyProofSerializer(serializers.Serializer[Any]):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    first_root = serializers.CharField()
    second_root = serializers.CharField()
    proof = serializers.ListField(child=serializers.CharField(), help_text="hex hashes")
