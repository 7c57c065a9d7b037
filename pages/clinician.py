"""Page: review regimens (the clinician's view)."""

from components.clinician import clinician_page

clinician_page()
