"""Importers: an AI Incident Database snapshot (`aiid`) and any spreadsheet of incidents
through a mapping file (`csvmap`). Both write through `cases.editing`, so every imported case
has revisions and audit entries like an editor's. See docs/importing.md.

What they share, one module per concern, lowest first: `problems` (messages with line and
column), `text` (cleaning cells), `encoding` (bytes to text), `reading` (CSV records to rows),
`dates`, `indexes` (actors and terms found or created from memory), `merge` (what an update
keeps) and `writing` (the import loop: batches, savepoints, counts, the audit entry)."""

from .aiid import AiidImport
from .csvmap import CsvImport, Mapping, MappingError, load_mapping
from .problems import ImportFileError, Problem
from .writing import BATCH_SIZE, ImportStats

__all__ = ["BATCH_SIZE", "AiidImport", "CsvImport", "ImportFileError", "ImportStats", "Mapping",
           "MappingError", "Problem", "load_mapping"]
