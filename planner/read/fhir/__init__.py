"""FHIR R4 prescription (JSON text) -> ``RuleSet`` and ``Preferences``, split by concern.

``parse`` (text -> a ``fhir.resources`` model: syntax and FHIR structure), ``timing``
(``Timing.repeat`` -> rhythm, bounds, clock), ``dosage`` (``Dosage`` -> ``Phase``),
``prescription`` (MedicationRequest, Bundle or Dosage list -> ``RuleSet``, ``Preferences``),
``codes`` (the vocabulary the writer shares), ``where`` (JSON paths and one-line errors).
Nothing is imported here, so ``write.fhir`` can take ``codes`` without loading
``fhir.resources``: only the ``--fhir`` path pays for it.
"""
