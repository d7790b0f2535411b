CREATE TABLE `conversation_references` (
	`id` integer PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`conversation_type` text NOT NULL,
	`person_id` integer,
	`teams_user_id` text,
	`service_url` text NOT NULL,
	`tenant_id` text,
	`reference` text NOT NULL,
	`disabled_at` text,
	`disabled_reason` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversation_references_conversation_unique` ON `conversation_references` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `conversation_references_person` ON `conversation_references` (`person_id`);--> statement-breakpoint
CREATE INDEX `conversation_references_teams_user` ON `conversation_references` (`teams_user_id`);