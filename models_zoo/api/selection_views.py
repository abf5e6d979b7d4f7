"""``POST /api/projects/{id}/prelabel/``: one pre-labeler over a selection of the project's assets."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.access import project_for
from projects.permissions import Capability

from ..models import JobState
from ..prelabelers.base import BadInput
from ..registry import UnknownPrelabeler
from ..services.selection import MAX_SELECTION, SelectionError, prelabel_selection_request
from .serializers import PrelabelJobSerializer


class SelectionRequestSerializer(serializers.Serializer):
    prelabeler = serializers.CharField(max_length=100)
    asset_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=MAX_SELECTION
    )
    params = serializers.DictField(required=False, default=dict)


class SkippedAssetSerializer(serializers.Serializer):
    asset = serializers.IntegerField()
    reason = serializers.CharField()


class SelectionResultSerializer(serializers.Serializer):
    jobs = PrelabelJobSerializer(many=True)
    skipped = SkippedAssetSerializer(many=True, help_text="assets this pre-labeler cannot take, and why")


class ProjectPrelabelView(APIView):
    @extend_schema(
        request=SelectionRequestSerializer,
        responses={202: SelectionResultSerializer, 200: SelectionResultSerializer},
    )
    def post(self, request: Request, project_id: int) -> Response:
        """Queue a pre-labeler on each selected asset (owners and managers); 200 when nothing was queued."""
        project = project_for(user=request.user, project_id=project_id, capability=Capability.UPLOAD_MEDIA)
        body = SelectionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = prelabel_selection_request(
                project=project, name=body.validated_data["prelabeler"],
                asset_ids=body.validated_data["asset_ids"], params=body.validated_data["params"],
                user=request.user,
            )  # fmt: skip
        except UnknownPrelabeler as exc:
            raise ValidationError({"prelabeler": str(exc)}) from exc
        except BadInput as exc:
            raise ValidationError({"params": str(exc)}) from exc
        except SelectionError as exc:
            raise ValidationError({"asset_ids": str(exc)}) from exc
        busy = any(job.state in (JobState.QUEUED, JobState.RUNNING) for job in result.jobs)
        return Response(
            SelectionResultSerializer({"jobs": result.jobs, "skipped": result.skipped}).data,
            status=status.HTTP_202_ACCEPTED if busy else status.HTTP_200_OK,
        )
