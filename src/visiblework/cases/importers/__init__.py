"""Importers: an AI Incident Database snapshot (`aiid`) and any spreadsheet of incidents
through a mapping file (`csvmap`). Both write through `cases.editing`, so every imported case
has revisions and audit entries like an editor's. See docs/importing.md."""

from .aiid import AiidImport
from .common import ImportFileError, ImportStats, Problem
from .csvmap import CsvImport, Mapping, MappingError, load_mapping

__all__ = ["AiidImport", "CsvImport", "ImportFileError", "ImportStats", "Mapping",
           "MappingError", "Problem", "load_mapping"]
