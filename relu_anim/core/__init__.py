"""Numeric core: pure numpy, never imports manim. Every number a scene shows comes from here."""
