"""Project and membership endpoints."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.models import Membership
from projects.permissions import Capability
from projects.selectors import project_list_with_counts
from projects.services import membership_set, project_create, project_update

from .access import project_for
from .serializers import MembershipSerializer, ProjectSerializer


def _roles_for(user) -> dict[int, str]:
    return dict(Membership.objects.filter(user=user).values_list("project_id", "role"))


class ProjectListView(APIView):
    @extend_schema(responses=ProjectSerializer(many=True))
    def get(self, request: Request) -> Response:
        projects = project_list_with_counts(user=request.user)
        context = {"roles": _roles_for(request.user)}
        return Response(ProjectSerializer(projects, many=True, context=context).data)

    @extend_schema(request=ProjectSerializer, responses={201: ProjectSerializer})
    def post(self, request: Request) -> Response:
        serializer = ProjectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = project_create(created_by=request.user, **serializer.validated_data)
        context = {"roles": _roles_for(request.user)}
        return Response(ProjectSerializer(project, context=context).data, status=status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    @extend_schema(responses=ProjectSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        return Response(ProjectSerializer(project, context={"roles": _roles_for(request.user)}).data)

    @extend_schema(request=ProjectSerializer, responses=ProjectSerializer)
    def patch(self, request: Request, project_id: int) -> Response:
        """Rename, describe, or choose the pre-labelers that run on every new asset (owners, managers)."""
        project = project_for(user=request.user, project_id=project_id, capability=Capability.UPLOAD_MEDIA)
        serializer = ProjectSerializer(project, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        project = project_update(project=project, **serializer.validated_data)
        return Response(ProjectSerializer(project, context={"roles": _roles_for(request.user)}).data)


class MembershipListView(APIView):
    """Members of a project; owners and managers add people or change roles."""

    @extend_schema(responses=MembershipSerializer(many=True))
    def get(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.VIEW)
        return Response(MembershipSerializer(project.memberships.select_related("user"), many=True).data)

    @extend_schema(request=MembershipSerializer, responses={201: MembershipSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.MANAGE_MEMBERS)
        serializer = MembershipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = membership_set(
            project=project, user=serializer.validated_data["user"], role=serializer.validated_data["role"]
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, membership_id: int) -> Response:
        project = project_for(user=request.user, project_id=project_id, capability=Capability.MANAGE_MEMBERS)
        get_object_or_404(project.memberships, pk=membership_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
