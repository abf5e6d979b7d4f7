"""Publishing schema versions: numbering, no-op republish, required mappings, who may publish."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from annotation.models import LabelSchema
from annotation.selectors import label_schema_current
from annotation.services import SchemaRejected, UnknownTemplate, schema_publish, schema_publish_template

pytestmark = pytest.mark.django_db


def definition(*ids: str) -> dict:
    return {
        "fields": [
            {
                "name": "emotion",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "classes": [{"id": i} for i in ids],
            }
        ]
    }


def test_first_publish_makes_version_1(project, owner):
    schema = schema_publish(project=project, definition=definition("joy", "anger"), user=owner, note="start")
    assert (schema.version, schema.note, schema.created_by, schema.class_mapping) == (1, "start", owner, {})
    assert label_schema_current(project=project) == schema


def test_a_change_makes_a_new_version_and_the_old_one_stays(project, owner):
    v1 = schema_publish(project=project, definition=definition("joy", "anger"), user=owner)
    v2 = schema_publish(project=project, definition=definition("joy", "anger", "fear"), user=owner)
    assert v2.version == 2 and label_schema_current(project=project) == v2
    v1.refresh_from_db()
    assert v1.definition == definition("joy", "anger")


def test_republishing_the_same_definition_adds_no_version(project, owner):
    v1 = schema_publish(project=project, definition=definition("joy", "anger"), user=owner)
    again = schema_publish(project=project, definition=definition("joy", "anger"), user=owner)
    assert again.pk == v1.pk and LabelSchema.objects.filter(project=project).count() == 1


def test_invalid_definitions_are_refused_with_every_error(project, owner):
    with pytest.raises(SchemaRejected) as caught:
        schema_publish(project=project, definition=definition("joy", "joy", "bad id"), user=owner)
    assert [str(e) for e in caught.value.errors] == [
        "fields[0].classes[1].id: duplicate class id 'joy' (first used at index 0)",
        "fields[0].classes[1].label: duplicate class label 'joy' (first used at index 0)",
        "fields[0].classes[2].id: 'bad id' must start with a letter or digit and hold only letters, digits, "
        "'_' or '-' (at most 64)",
    ]
    assert not LabelSchema.objects.exists()


def test_removing_a_class_requires_a_mapping_which_is_stored(project, owner):
    schema_publish(project=project, definition=definition("joy", "anger", "happy"), user=owner)
    with pytest.raises(SchemaRejected) as caught:
        schema_publish(project=project, definition=definition("joy", "rage"), user=owner)
    assert caught.value.unmapped == ["emotion.anger", "emotion.happy"]
    assert "emotion.anger, emotion.happy" in caught.value.message
    assert LabelSchema.objects.filter(project=project).count() == 1

    mapping = {"emotion.anger": "rage", "emotion.happy": None}
    v2 = schema_publish(
        project=project, definition=definition("joy", "rage"), user=owner, class_mapping=mapping
    )
    v2.refresh_from_db()
    assert v2.version == 2 and v2.class_mapping == mapping


def test_a_mapping_without_a_previous_version_is_refused(project, owner):
    with pytest.raises(SchemaRejected) as caught:
        schema_publish(
            project=project,
            definition=definition("joy", "anger"),
            user=owner,
            class_mapping={"emotion.x": None},
        )
    assert [str(e) for e in caught.value.errors] == [
        "class_mapping: this project has no earlier schema version to map from"
    ]


def test_only_owners_may_publish(project, manager, annotator, outsider):
    for user in (manager, annotator, outsider):
        with pytest.raises(PermissionDenied):
            schema_publish(project=project, definition=definition("joy", "anger"), user=user)
    assert not LabelSchema.objects.exists()


def test_templates_publish_and_are_recorded(project, owner):
    schema = schema_publish_template(project=project, template="ekman-7", user=owner)
    assert schema.template == "ekman-7" and schema.version == 1
    with pytest.raises(UnknownTemplate) as caught:
        schema_publish_template(project=project, template="nope", user=owner)
    assert str(caught.value.errors[0]).startswith("template: unknown template 'nope'; expected one of: ")


def test_switching_templates_asks_for_a_mapping(project, owner):
    schema_publish_template(project=project, template="ekman-7", user=owner)
    with pytest.raises(SchemaRejected) as caught:
        schema_publish_template(project=project, template="cped-dialogue", user=owner)
    assert caught.value.unmapped == [
        "emotion.happiness",
        "emotion.surprise",
    ]


def test_version_numbers_are_unique_per_project(project, owner):
    schema_publish(project=project, definition=definition("joy", "anger"), user=owner)
    with pytest.raises(IntegrityError):
        LabelSchema.objects.create(project=project, version=1, definition=definition("a", "b"))
