"""Presenting rendered scenes: one lecture video, slides, handouts (built from the batch's outputs)."""
