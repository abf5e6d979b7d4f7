from projects.permissions import Capability, role_allows


def test_annotators_cannot_upload_export_or_change_schemas():
    for capability in (Capability.UPLOAD_MEDIA, Capability.EXPORT, Capability.CHANGE_SCHEMA):
        assert not role_allows("annotator", capability)
    assert role_allows("annotator", Capability.ANNOTATE)


def test_exports_and_schema_changes_are_owner_actions():
    assert role_allows("owner", Capability.EXPORT) and role_allows("owner", Capability.CHANGE_SCHEMA)
    for role in ("manager", "annotator", "reviewer"):
        assert not role_allows(role, Capability.EXPORT)
        assert not role_allows(role, Capability.CHANGE_SCHEMA)


def test_no_role_means_no_rights():
    assert not any(role_allows(None, capability) for capability in Capability)
    assert not role_allows("superhero", Capability.VIEW)
