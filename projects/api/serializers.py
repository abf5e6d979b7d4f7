from django.contrib.auth import get_user_model
from rest_framework import serializers

from projects.models import Membership, Project, Role


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    asset_count = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "description", "auto_prelabelers", "created_at", "role", "asset_count"]
        read_only_fields = ["id", "created_at", "role", "asset_count"]

    def validate_auto_prelabelers(self, value: object) -> list[str]:
        from models_zoo.services.autorun import auto_prelabelers_validate

        try:
            return auto_prelabelers_validate(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def get_role(self, project: Project) -> str | None:
        roles = self.context.get("roles", {})
        return roles.get(project.pk)

    def get_asset_count(self, project: Project) -> int:
        annotated = getattr(project, "asset_count", None)
        return annotated if annotated is not None else project.assets.count()


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.SlugRelatedField(
        source="user", slug_field="username", queryset=get_user_model().objects.all()
    )
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "created_at"]
        read_only_fields = ["id", "created_at"]
