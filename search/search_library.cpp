// Anchor so the library exists before its parts land; the parts add their sources.
