"""Scene modules: one idea per file; the registry finds every LectureScene here."""
