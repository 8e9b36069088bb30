"""Text helpers every stage may use: accent folding, language identification, dates written in prose."""
