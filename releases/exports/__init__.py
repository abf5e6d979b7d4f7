"""Writers of the release folder, one module per format; each writes files under a local folder."""
