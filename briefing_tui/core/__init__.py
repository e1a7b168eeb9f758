"""Pure-Python core: document model, store, anchoring, import, export. Never imports textual."""
