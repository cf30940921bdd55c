"""Text pipeline: decoding, normalisation, boilerplate, dates and titles."""
