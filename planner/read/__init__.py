"""Text -> model: monographs, dosing language, rules YAML, course requests, FHIR."""
