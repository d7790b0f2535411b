CREATE INDEX `due_date_changes_update` ON `due_date_changes` (`update_id`);--> statement-breakpoint
CREATE INDEX `updates_reported` ON `updates` (`action_id`,`created_at`) WHERE kind <> 'import';--> statement-breakpoint
CREATE INDEX `updates_created_at` ON `updates` (`created_at`);