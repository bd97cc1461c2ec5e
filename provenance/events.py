"""The catalogue of audit events. Every ledger entry's ``event_type`` is one of these.

Labels are stable wire values: they are hashed into the log, so a value is never renamed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    # Accounts and permissions
    PERMISSION_GRANTED = "permission.granted", _("permission granted")
    PERMISSION_WITHDRAWN = "permission.withdrawn", _("permission withdrawn")
    # Estates and evidence
    ESTATE_CREATED = "estate.created", _("estate created")
    ESTATE_QUORUM_CHANGED = "estate.quorum_changed", _("estate quorum changed")
    EXECUTOR_INVITED = "estate.executor_invited", _("executor invited")
    EXECUTOR_JOINED = "estate.executor_joined", _("executor joined")
    EVIDENCE_SUBMITTED = "evidence.submitted", _("evidence submitted")
    EVIDENCE_APPROVED = "evidence.approved", _("evidence approved")
    EVIDENCE_REJECTED = "evidence.rejected", _("evidence rejected")
    MEDIA_ADDED = "media.added", _("source media added")
    MEDIA_REMOVED = "media.removed", _("source media removed")
    # Consent
    CONSENT_SIGNED = "consent.signed", _("consent signed")
    CONSENT_COSIGNED = "consent.cosigned", _("consent co-signed")
    CONSENT_ACTIVATED = "consent.activated", _("consent took effect")
    CONSENT_AMENDED = "consent.amended", _("consent amended")
    CONSENT_REVOKED = "consent.revoked", _("consent revoked")
    CONSENT_EXPIRED = "consent.expired", _("consent expired")
    DIRECTIVE_RECORDED = "directive.recorded", _("advance directive recorded")
    INVITATION_SENT = "invitation.sent", _("invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("invitation accepted")
    # Renders and clips
    RENDER_REQUESTED = "render.requested", _("render requested")
    RENDER_STARTED = "render.started", _("render started")
    RENDER_CANCELLED = "render.cancelled", _("render cancelled")
    RENDER_FAILED = "render.failed", _("render failed")
    CLIP_PUBLISHED = "clip.published", _("clip published")
    CLIP_VIEWED = "clip.viewed", _("clip viewed")
    CLIP_VERIFIED = "clip.verified", _("clip verified")
