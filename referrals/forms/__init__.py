"""The pages' forms, by concept: `intake` (filing, drafts, the patient's details, pauses) and `workflow`
(the lifecycle steps, contact, obstacles, the diagnosis group)."""
