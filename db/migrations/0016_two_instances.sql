ALTER TABLE `slack_inbox` ADD `lease_until` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `role_assignments_current` ON `role_assignments` (`role_id`,`person_id`) WHERE ended_at is null;