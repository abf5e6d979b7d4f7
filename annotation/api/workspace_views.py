"""``GET /api/assignments/{id}/workspace/``: one call that opens the labeling page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.selectors_workspace import workspace_get

from .workspace_serializers import WorkspaceSerializer


class WorkspaceView(APIView):
    """The assignee reads (and may edit) their own; reviewers and managers read; anyone else gets 404."""

    @extend_schema(responses=WorkspaceSerializer)
    def get(self, request: Request, assignment_id: int) -> Response:
        workspace = workspace_get(user=request.user, assignment_id=assignment_id)
        if workspace is None:
            raise NotFound("No such assignment.")
        assignment = workspace.assignment
        schema = workspace.schema
        body = {
            "assignment": assignment,
            "editable": workspace.editable,
            "item": assignment.item,
            "context": workspace.context,
            "schema": {"version": schema.version, "definition": schema.definition} if schema else None,
            "latest": workspace.latest,
            "progress": workspace.progress,
            "previous": workspace.previous_id,
            "next": workspace.next_id,
            "tracks": workspace.tracks,
        }
        context = {"files": workspace.files, "fps": workspace.fps}
        return Response(WorkspaceSerializer(body, context=context).data)
