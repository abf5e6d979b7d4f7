"""Release endpoints: list and create a project's versions, read one, its report, its files.

Who may read what follows blind labeling: a release holds every annotator's labels (raw values,
confusion counts, per-annotator agreement), so an annotator must not learn the others' answers
through it. Reading versions, their diff and their report therefore needs ``review`` (owners,
managers, reviewers, who see all labels in the review queue anyway); creating a version and
reading its files needs ``export`` (owners). Non-members get 404, members without the right 403.
"""

from __future__ import annotations

import json
import mimetypes
import tempfile

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.media_serving import serve_stored_file
from projects.api.access import project_for
from projects.permissions import Capability

from ..models import DatasetVersion, VersionState
from ..services.folder_storage import release_file_key, release_zip_write
from ..services.versions import VersionRefused, VersionRequest, version_create
from .serializers import DatasetVersionSerializer, VersionCreateSerializer

TEXT_TYPES = {
    ".jsonl": "application/x-ndjson",
    ".csv": "text/csv",
    ".vtt": "text/vtt",
    ".eaf": "application/xml",
    ".parquet": "application/vnd.apache.parquet",
}


READ = Capability.REVIEW  # list, detail (with its diff) and report: see the module docstring


class NotReady(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"


def _version_for(request: Request, version_id: int, capability: Capability) -> DatasetVersion:
    """The version if the caller's role allows ``capability`` in its project (404 for non-members)."""
    version = get_object_or_404(DatasetVersion.objects.select_related("created_by"), pk=version_id)
    project_for(user=request.user, project_id=version.project_id, capability=capability)
    return version


def _ready(version: DatasetVersion) -> DatasetVersion:
    if version.state != VersionState.READY:
        raise NotReady(f"Version {version.version} is {version.state}; its files exist once it is ready.")
    return version


class ProjectVersionsView(APIView):
    @extend_schema(responses=DatasetVersionSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        """The project's versions, newest first (the review right: they describe everyone's labels)."""
        project = project_for(user=request.user, project_id=project_id, capability=READ)
        versions = DatasetVersion.objects.filter(project=project).select_related("created_by")
        versions = versions.order_by("-major", "-minor", "-patch")
        return Response(DatasetVersionSerializer(versions, many=True).data)

    @extend_schema(request=VersionCreateSerializer, responses={202: DatasetVersionSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        """Queue a new version's build (owners: the export right); 400 names each bad field."""
        project = project_for(user=request.user, project_id=project_id, capability=Capability.EXPORT)
        body = VersionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            wanted = VersionRequest(
                version=data.get("version"), bump=data["bump"], notes=data["notes"], filters=data["filters"],
                include_media=data["include_media"], seed=data["seed"], dawid_skene=data["dawid_skene"],
            )  # fmt: skip
            version = version_create(project=project, user=request.user, request=wanted)
        except VersionRefused as exc:
            raise ValidationError(_nested(exc.errors)) from exc
        return Response(DatasetVersionSerializer(version).data, status=status.HTTP_202_ACCEPTED)


def _nested(errors: dict[str, str]) -> dict:
    """``{"filters.item_ids": msg}`` -> ``{"filters": {"item_ids": [msg]}}``, the shape DRF gives its own."""
    out: dict = {}
    for key, message in errors.items():
        head, _, tail = key.partition(".")
        if tail:
            out.setdefault(head, {})[tail] = [message]
        else:
            out[head] = [message]
    return out


class VersionDetailView(APIView):
    @extend_schema(responses=DatasetVersionSerializer)
    def get(self, request: Request, version_id: int) -> Response:
        version = _version_for(request, version_id, READ)
        return Response(DatasetVersionSerializer(version).data)


class VersionReportView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, version_id: int) -> Response:
        """The agreement report of a ready version (409 while it builds)."""
        version = _ready(_version_for(request, version_id, READ))
        try:
            with default_storage.open(f"{version.storage_prefix}/report.json", "rb") as handle:
                return Response(json.loads(handle.read()))
        except FileNotFoundError as exc:
            raise Http404("The report file is missing from storage.") from exc


class VersionDownloadView(APIView):
    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request: Request, version_id: int) -> HttpResponse:
        """The release folder as one zip with fixed entry dates (the same version gives the same bytes)."""
        version = _ready(_version_for(request, version_id, Capability.EXPORT))
        root = f"project{version.project_id}-{version.version}"
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        try:
            release_zip_write(prefix=version.storage_prefix, root=root, files=version.files, target=target)
        except FileNotFoundError as exc:
            target.close()
            raise Http404("A file of this release is missing from storage.") from exc
        target.seek(0)
        return FileResponse(
            target, as_attachment=True, filename=f"{root}.zip", content_type="application/zip"
        )


class VersionFileView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, version_id: int, path: str) -> HttpResponse:
        """One file of the release, by its path in the manifest; anything else is 404."""
        version = _ready(_version_for(request, version_id, Capability.EXPORT))
        key = release_file_key(version.storage_prefix, version.files, path)
        if key is None:
            raise Http404("This release has no such file.")
        suffix = "." + path.rsplit(".", 1)[-1] if "." in path else ""
        content_type = TEXT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
        return serve_stored_file(
            key, content_type=content_type, range_header=request.headers.get("Range"),
            download_name=path.rsplit("/", 1)[-1],
        )  # fmt: skip
