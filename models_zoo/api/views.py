"""Pre-labeler endpoints: request a run, list jobs and tracks, read a track by time window."""

from __future__ import annotations

import math
import re

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.media_serving import serve_stored_file
from ingest.selectors import assets_visible_to
from projects.api.access import project_for
from projects.permissions import Capability

from ..prelabelers.base import BadInput
from ..registry import UnknownPrelabeler, prelabeler_classes
from ..selectors import jobs_of_asset, tracks_of_asset, tracks_visible_to
from ..services.requests import AssetNotReady, prelabel_request
from ..services.track_files import TrackUnreadable, track_window_read
from .serializers import (
    PrelabelerSerializer,
    PrelabelJobSerializer,
    PrelabelRequestSerializer,
    TrackSerializer,
    TrackWindowQuerySerializer,
    TrackWindowSerializer,
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class AssetPrelabelView(APIView):
    @extend_schema(
        request=PrelabelRequestSerializer, responses={202: PrelabelJobSerializer, 200: PrelabelJobSerializer}
    )
    def post(self, request: Request, asset_id: int) -> Response:
        """Queue a pre-labeler on the asset (owners and managers); an identical earlier request is reused."""
        asset = get_object_or_404(assets_visible_to(user=request.user), pk=asset_id)
        project_for(user=request.user, project_id=asset.project_id, capability=Capability.UPLOAD_MEDIA)
        body = PrelabelRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                job = prelabel_request(
                    asset=asset, name=body.validated_data["name"], params=body.validated_data["params"],
                    user=request.user,
                )  # fmt: skip
        except UnknownPrelabeler as exc:
            raise ValidationError({"name": str(exc)}) from exc
        except BadInput as exc:
            raise ValidationError({"params": str(exc)}) from exc
        except AssetNotReady as exc:
            raise Conflict(str(exc)) from exc
        code = status.HTTP_202_ACCEPTED if job.state in ("queued", "running") else status.HTTP_200_OK
        return Response(PrelabelJobSerializer(job).data, status=code)


class AssetJobsView(APIView):
    @extend_schema(responses=PrelabelJobSerializer(many=True))
    def get(self, request: Request, asset_id: int) -> Response:
        asset = get_object_or_404(assets_visible_to(user=request.user), pk=asset_id)
        return Response(PrelabelJobSerializer(jobs_of_asset(asset_id=asset.pk), many=True).data)


class AssetTracksView(APIView):
    @extend_schema(parameters=[OpenApiParameter("kind", str)], responses=TrackSerializer(many=True))
    def get(self, request: Request, asset_id: int) -> Response:
        asset = get_object_or_404(assets_visible_to(user=request.user), pk=asset_id)
        tracks = tracks_of_asset(asset_id=asset.pk)
        if kind := request.query_params.get("kind"):
            tracks = tracks.filter(kind=kind)
        return Response(TrackSerializer(tracks, many=True).data)


class TrackDataView(APIView):
    @extend_schema(parameters=[TrackWindowQuerySerializer], responses=TrackWindowSerializer)
    def get(self, request: Request, track_id: int) -> Response:
        """Rows with start <= time < end, thinned to at most max_points (every k-th row); columns= narrows."""
        track = get_object_or_404(tracks_visible_to(user=request.user), pk=track_id)
        query = TrackWindowQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end, max_points, wanted = (
            query.validated_data[k] for k in ("start", "end", "max_points", "columns")
        )
        if start is not None and end is not None and end <= start:
            raise ValidationError({"end": "end must be after start."})
        names = [c["name"] for c in track.columns]
        if wanted is not None:
            unknown = [name for name in wanted if name not in names]
            if unknown:
                raise ValidationError({"columns": f"The track has no column {', '.join(unknown)}."})
            names = [name for name in names if name == "time" or name in wanted]
        try:
            window = track_window_read(
                track=track, start=start, end=end, max_points=max_points, columns=wanted
            )
        except TrackUnreadable as exc:
            raise Conflict(str(exc)) from exc
        rows = [{k: _json_safe(v) for k, v in row.items()} for row in window.rows]
        payload = {
            "track": track.pk, "start": start, "end": end, "total_rows": window.total_rows,
            "stride": window.stride, "columns": names, "rows": rows,
        }  # fmt: skip
        return Response(payload)


def _json_safe(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


CROP_NAME = re.compile(r"id\d{1,6}/\d{7}\.jpg")


class TrackCropView(APIView):
    """One face crop of a faces track: ``<name>`` is the part of a row's crop_key after crops/."""

    @extend_schema(responses={(200, "image/jpeg"): bytes})
    def get(self, request: Request, track_id: int, name: str):
        track = get_object_or_404(tracks_visible_to(user=request.user), pk=track_id)
        prefix = (track.metadata or {}).get("crops_prefix")
        if not prefix or not CROP_NAME.fullmatch(name):
            raise Http404("No such crop for this track.")
        return serve_stored_file(
            f"{prefix}/{name}", content_type="image/jpeg", range_header=request.headers.get("Range")
        )


class PrelabelerListView(APIView):
    @extend_schema(responses=PrelabelerSerializer(many=True))
    def get(self, request: Request) -> Response:
        items = [
            {
                "name": cls.name,
                "version": cls.version,
                "description": cls.description,
                "inputs": list(cls.inputs),
                "produces": list(cls.produces),
                "default_params": cls.default_params,
                "parameters": cls.param_schema(),
                "wants_gpu": cls.wants_gpu,
            }  # fmt: skip
            for cls in prelabeler_classes().values()
        ]
        return Response(PrelabelerSerializer(items, many=True).data)
