"""Bulk endpoints: a manifest of server-side files and texts, and JSONL files of utterances."""

from __future__ import annotations

from dataclasses import asdict

from django.core.files.uploadedfile import UploadedFile
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.services.manifest import manifest_import, max_manifest_bytes
from ingest.services.text_import import ImportRejected, ImportReport, texts_import_jsonl
from projects.api.access import project_for
from projects.permissions import Capability

from .import_serializers import ImportReportSerializer, ManifestImportSerializer, TextImportSerializer


def _attached(request: Request, field: str) -> UploadedFile:
    upload = request.FILES.get(field)
    if upload is None:
        raise ValidationError({field: f"Attach the file as a multipart field named '{field}'."})
    limit = max_manifest_bytes()
    if upload.size > limit:
        upload.close()
        raise _TooLarge(f"The file is larger than {limit:,} bytes; split it into smaller files.")
    upload.seek(0)
    return upload


class _TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


def _report_response(report: ImportReport) -> Response:
    code = status.HTTP_201_CREATED if report.created else status.HTTP_200_OK
    return Response(asdict(report), status=code)


class ManifestImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request=ManifestImportSerializer, responses={200: ImportReportSerializer, 201: ImportReportSerializer}
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.UPLOAD_MEDIA)
        upload = _attached(request, "manifest")
        try:
            report = manifest_import(
                project=project, handle=upload.file, name=upload.name or "", uploaded_by=request.user
            )
        except ImportRejected as exc:
            raise ValidationError({"manifest": str(exc)}) from exc
        finally:
            upload.close()
        return _report_response(report)


class TextImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request=TextImportSerializer, responses={200: ImportReportSerializer, 201: ImportReportSerializer}
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.UPLOAD_MEDIA)
        upload = _attached(request, "file")
        try:
            report = texts_import_jsonl(
                project=project, handle=upload.file, uploaded_by=request.user, source_name=upload.name or ""
            )
        except ImportRejected as exc:
            raise ValidationError({"file": str(exc)}) from exc
        finally:
            upload.close()
        return _report_response(report)
