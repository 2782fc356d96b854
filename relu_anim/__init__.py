"""relu-anim: lecture animations that explain why ReLU networks work."""

__version__ = "0.1.0"
