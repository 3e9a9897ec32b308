"""The atlas of real national cluster programs, coded on the canvas with sources."""

from .loader import atlas_version, load_atlas, validate_atlas
from .model import LeverCoding, Program

__all__ = ["LeverCoding", "Program", "atlas_version", "load_atlas", "validate_atlas"]
