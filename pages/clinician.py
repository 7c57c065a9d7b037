"""Page: review regimens (the clinician's view)."""

from components.clinician import clinician_page
from components.frame import framed

framed(clinician_page)
