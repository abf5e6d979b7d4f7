"""Resumable upload endpoints: announce, send chunks, ask where to resume, complete or abort."""

from __future__ import annotations

import uuid

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.models import ChunkedUpload
from ingest.services.chunked import (
    ChunkedUploadError,
    chunked_upload_abort,
    chunked_upload_complete,
    chunked_upload_create,
    chunked_upload_for,
    chunked_upload_receive,
    content_range_parse,
)
from ingest.services.metadata import MetadataError, parse_metadata
from projects.api.access import project_for
from projects.permissions import Capability

from .import_serializers import ChunkedUploadCreateSerializer, ChunkedUploadSerializer, ChunkRefusedSerializer

REFUSED = OpenApiResponse(ChunkRefusedSerializer, description="refused; 'offset' says where to resume")


def _refused(exc: ChunkedUploadError) -> Response:
    return Response(exc.body(), status=exc.status_code)


def _upload_or_404(request: Request, upload_id: uuid.UUID) -> ChunkedUpload:
    upload = chunked_upload_for(user=request.user, uid=upload_id)
    if upload is None:
        raise Http404("No such upload.")
    return upload


def _content_length(request: Request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _metadata(raw: object) -> dict:
    """A JSON object, given as an object or as its text; anything else is a 400."""
    if raw is not None and not isinstance(raw, str | dict):
        raise ValidationError({"metadata": f"metadata must be a JSON object, got {type(raw).__name__}"})
    try:
        return parse_metadata(raw)
    except MetadataError as exc:
        raise ValidationError({"metadata": str(exc)}) from exc


class ProjectUploadsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=ChunkedUploadCreateSerializer,
        responses={201: ChunkedUploadSerializer, 400: REFUSED, 413: REFUSED},
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.UPLOAD_MEDIA)
        serializer = ChunkedUploadCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        metadata = _metadata(data.get("metadata"))
        try:
            upload = chunked_upload_create(
                project=project,
                user=request.user,
                filename=data["filename"],
                size=data["size"],
                metadata=metadata,
            )
        except ChunkedUploadError as exc:
            return _refused(exc)
        location = reverse("chunked-upload-detail", args=[upload.uid])
        return Response(
            ChunkedUploadSerializer(upload).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class UploadDetailView(APIView):
    @extend_schema(responses=ChunkedUploadSerializer)
    def get(self, request: Request, upload_id: uuid.UUID) -> Response:
        return Response(ChunkedUploadSerializer(_upload_or_404(request, upload_id)).data)

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter(
                "Content-Range",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="bytes START-END/TOTAL; START must equal the upload's offset",
            )
        ],
        responses={200: ChunkedUploadSerializer, 400: REFUSED, 409: REFUSED, 411: REFUSED, 413: REFUSED},
    )
    def put(self, request: Request, upload_id: uuid.UUID) -> Response:
        upload = _upload_or_404(request, upload_id)
        try:
            upload = chunked_upload_receive(
                upload=upload,
                content_range=content_range_parse(request.headers.get("Content-Range")),
                stream=request.stream,
                length=_content_length(request),
            )
        except ChunkedUploadError as exc:
            return _refused(exc)
        return Response(ChunkedUploadSerializer(upload).data)

    @extend_schema(responses={204: None, 409: REFUSED})
    def delete(self, request: Request, upload_id: uuid.UUID) -> Response:
        try:
            chunked_upload_abort(upload=_upload_or_404(request, upload_id))
        except ChunkedUploadError as exc:
            return _refused(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UploadCompleteView(APIView):
    @extend_schema(request=None, responses={200: ChunkedUploadSerializer, 409: REFUSED})
    def post(self, request: Request, upload_id: uuid.UUID) -> Response:
        try:
            upload = chunked_upload_complete(upload=_upload_or_404(request, upload_id))
        except ChunkedUploadError as exc:
            return _refused(exc)
        return Response(ChunkedUploadSerializer(upload).data)
