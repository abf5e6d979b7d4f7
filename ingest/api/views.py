"""Media endpoints: upload, list, detail, and members-only file serving."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.media_serving import CONTENT_TYPES, serve_stored_file
from ingest.models import MediaAsset
from ingest.selectors import assets_visible_to
from ingest.services.assets import EmptyFileError, asset_create_from_path
from ingest.services.metadata import MetadataError, parse_metadata
from ingest.upload_handlers import HashedUploadedFile, HashingUploadHandler
from projects.api.access import project_for
from projects.permissions import Capability

from .serializers import MediaAssetSerializer, MediaUploadSerializer


class ProjectMediaView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        # Stream uploads through the hashing handler: no whole file in memory, sha256 for free.
        request.upload_handlers = [HashingUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        parameters=[OpenApiParameter("status", str), OpenApiParameter("kind", str)],
        responses=MediaAssetSerializer(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        assets = project.assets.all()
        for field in ("status", "kind", "dialogue_id"):
            if value := request.query_params.get(field):
                assets = assets.filter(**{field: value})
        return Response(MediaAssetSerializer(assets, many=True).data)

    @extend_schema(
        request=MediaUploadSerializer, responses={201: MediaAssetSerializer, 200: MediaAssetSerializer}
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.UPLOAD_MEDIA)
        upload = _uploaded_file(request)
        try:
            metadata = parse_metadata(request.data.get("metadata"))
        except MetadataError as exc:
            _discard_upload(upload)
            raise ValidationError({"metadata": str(exc)}) from exc
        sha256 = upload.sha256 if isinstance(upload, HashedUploadedFile) else None
        upload.file.flush()
        try:
            result = asset_create_from_path(
                project=project,
                path=upload.temporary_file_path(),
                original_name=upload.name,
                uploaded_by=request.user,
                metadata=metadata,
                sha256=sha256,
                move=True,
            )
        except EmptyFileError as exc:
            raise ValidationError({"file": str(exc)}) from exc
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(MediaAssetSerializer(result.asset).data, status=code)


def _uploaded_file(request: Request) -> HashedUploadedFile:
    """The complete file part of the body, or a 400 that says what was wrong with it."""
    try:
        upload = request.FILES.get("file")
    except ParseError as exc:
        hint = " Part headers, file names included, must stay under 1,000 characters."
        raise ParseError(
            f"The upload could not be read as multipart form data: {exc.detail}"
            + (hint if "header size" in str(exc.detail) else "")
        ) from exc
    if upload is None:
        raise ValidationError(
            {
                "file": "No complete file arrived: attach the media as a multipart field named 'file' with "
                "a file name (an upload cut off before its end is dropped)."
            }
        )
    return upload


def _discard_upload(upload) -> None:
    try:
        upload.close()
    except OSError:
        pass


def _visible_asset(request: Request, asset_id: int) -> MediaAsset:
    """The asset if the user is a member of its project; others learn nothing, not even that it exists."""
    asset = assets_visible_to(user=request.user).filter(pk=asset_id).first()
    if asset is None:
        raise NotFound("No such asset.")
    return asset


class MediaDetailView(APIView):
    @extend_schema(responses=MediaAssetSerializer)
    def get(self, request: Request, asset_id: int) -> Response:
        return Response(MediaAssetSerializer(_visible_asset(request, asset_id)).data)


class MediaFileView(APIView):
    """The original or a derived file, with Range support; members of the asset's project only."""

    @extend_schema(
        responses={(200, "application/octet-stream"): bytes, (206, "application/octet-stream"): bytes}
    )
    def get(self, request: Request, asset_id: int, name: str):
        asset = _visible_asset(request, asset_id)
        if name == "original" and asset.original_file:
            return serve_stored_file(
                asset.original_file,
                content_type="application/octet-stream",
                range_header=request.headers.get("Range"),
                download_name=asset.original_name,
            )
        key = (asset.derived or {}).get(name) if name != "original" else None
        if not isinstance(key, str) or not key:
            raise NotFound("No such file for this asset.")
        content_type = CONTENT_TYPES.get(key.rsplit("/", 1)[-1], "application/octet-stream")
        return serve_stored_file(key, content_type=content_type, range_header=request.headers.get("Range"))
