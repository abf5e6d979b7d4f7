"""Splitting a recording into utterance items: ``POST /api/media/{id}/utterances/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.selectors import assets_visible_to
from ingest.services.utterances import (
    DEFAULTS,
    MODES,
    NoVoiceActivity,
    UtteranceError,
    utterances_from_voice_activity,
)
from projects.api.access import project_for
from projects.permissions import Capability

from .serializers import MediaAssetSerializer


class UtteranceRequestSerializer(serializers.Serializer):
    """The split's parameters (all optional); the service checks them, this describes them."""

    mode = serializers.ChoiceField(choices=MODES, default=DEFAULTS["mode"])
    min_gap_s = serializers.FloatField(default=DEFAULTS["min_gap_s"], help_text="merge closer segments")
    pad_s = serializers.FloatField(default=DEFAULTS["pad_s"], help_text="added before and after")
    min_duration_s = serializers.FloatField(default=DEFAULTS["min_duration_s"])
    max_duration_s = serializers.FloatField(default=DEFAULTS["max_duration_s"], help_text="0: no limit")
    window_s = serializers.FloatField(default=DEFAULTS["window_s"], help_text="mode 'windows' only")


class UtteranceResultSerializer(serializers.Serializer):
    parent = serializers.IntegerField()
    track = serializers.IntegerField(help_text="the voice-activity track the items come from")
    params = serializers.DictField()
    created = serializers.IntegerField(help_text="items new in this request; the rest existed")
    items = MediaAssetSerializer(many=True)


class VoiceActivityMissing(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class AssetUtterancesView(APIView):
    @extend_schema(
        request=UtteranceRequestSerializer,
        responses={201: UtteranceResultSerializer, 200: UtteranceResultSerializer},
    )
    def post(self, request: Request, asset_id: int) -> Response:
        """One item per speech segment (or window) of the recording; 200 when they all existed."""
        asset = assets_visible_to(user=request.user).filter(pk=asset_id).first()
        if asset is None:
            raise NotFound("No such asset.")
        project_for(user=request.user, project_id=asset.project_id, capability=Capability.UPLOAD_MEDIA)
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": "The body must be a JSON object of parameters."})
        try:
            result = utterances_from_voice_activity(asset=asset, params=dict(request.data))
        except UtteranceError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        except NoVoiceActivity as exc:
            raise VoiceActivityMissing(str(exc)) from exc
        body = {
            "parent": asset.pk,
            "track": result.track_id,
            "params": result.params,
            "created": result.created,
            "items": MediaAssetSerializer(result.items, many=True).data,
        }
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(body, status=code)
