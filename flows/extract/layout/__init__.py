"""Layout stage: every source becomes a document model (blocks with spans) before anything is read from it."""
