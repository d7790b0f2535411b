CREATE INDEX `actions_owner_person` ON `actions` (`owner_person_id`);--> statement-breakpoint
CREATE INDEX `workstreams_lead_role` ON `workstreams` (`lead_role_id`);