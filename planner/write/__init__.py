"""Schedule -> bytes: iCalendar, FHIR, the printable sheet; pure encoders."""
