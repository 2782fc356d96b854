"""Reusable mobjects shared by scenes: curves, formulas, panels, network diagrams."""
