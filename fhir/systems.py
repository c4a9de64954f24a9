"""The identifier systems, code systems and extensions the FHIR interface uses (README, "FHIR R4").

HL7 Sweden's base profiles name the personnummer and samordningsnummer systems; HSA-ids use Inera's OID.
What is SOT's own (the reference, its statuses, the extensions) lives under one base of ours."""

from __future__ import annotations

OURS = "https://sot.example.org/fhir"

PERSONNUMMER = "http://electronichealth.se/identifier/personnummer"
SAMORDNINGSNUMMER = "http://electronichealth.se/identifier/samordningsnummer"
# Inera's RIV-TA OIDs for the same numbers, accepted on input; we always answer with the systems above.
PERSONNUMMER_OID = "urn:oid:1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER_OID = "urn:oid:1.2.752.129.2.1.3.3"
PATIENT_SYSTEMS = {PERSONNUMMER, SAMORDNINGSNUMMER, PERSONNUMMER_OID, SAMORDNINGSNUMMER_OID}

HSA_ID = "urn:oid:1.2.752.29.4.19"
HSA_ID_ALTERNATIVE = "urn:oid:1.2.752.129.2.1.4.1"  # accepted on input
HSA_SYSTEMS = {HSA_ID, HSA_ID_ALTERNATIVE}

REFERENCE = f"{OURS}/identifier/reference"  # SOT-2026-000123
ICD10 = "http://hl7.org/fhir/sid/icd-10"  # ICD-10-SE codes are ICD-10 codes with Swedish detail
REFERRAL_STATUS = f"{OURS}/CodeSystem/referral-status"  # Task.businessStatus: SOT's own states
MEDICAL_PRIORITY = f"{OURS}/CodeSystem/medical-priority"
ASA_CLASS = f"{OURS}/CodeSystem/asa-class"  # I … VI, with E for an emergency: "IIIE"
DIAGNOSIS_GROUP = f"{OURS}/CodeSystem/diagnosis-group"
CARE_TYPE = f"{OURS}/CodeSystem/care-type"
ORGANISATION_LEVEL = f"{OURS}/CodeSystem/organisation-level"  # healthcare-region, region, hospital, unit
TASK_KIND = f"{OURS}/CodeSystem/task-kind"  # coordination, unit

EXT_ASA_CLASS = f"{OURS}/StructureDefinition/asa-class"
EXT_COMPLICATING_DISEASES = f"{OURS}/StructureDefinition/complicating-diseases"
EXT_CARE_GUARANTEE_DEADLINE = f"{OURS}/StructureDefinition/care-guarantee-deadline"
EXT_DECISION_DATE = f"{OURS}/StructureDefinition/decision-date"
EXT_MEDICAL_PRIORITY = f"{OURS}/StructureDefinition/medical-priority"
EXT_CONSENT_REFERRAL = f"{OURS}/StructureDefinition/consent-referral"
EXT_CONSENT_DISCLOSURE = f"{OURS}/StructureDefinition/consent-disclosure"
EXT_HOME_REGION = f"{OURS}/StructureDefinition/patient-home-region"
# SMART Scheduling Links: the number of free places a coarse Slot stands for.
EXT_SLOT_CAPACITY = "http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity"
