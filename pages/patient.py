"""Page: plan my course (the patient's view)."""

from components.frame import framed
from components.patient import patient_page

framed(patient_page)
