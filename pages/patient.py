"""Page: plan my course (the patient's view)."""

from components.patient import patient_page

patient_page()
