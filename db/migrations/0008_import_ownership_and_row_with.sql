CREATE TABLE `action_supporting_roles` (
	`action_id` integer NOT NULL,
	`role_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `action_supporting_roles_unique` ON `action_supporting_roles` (`action_id`,`role_id`);--> statement-breakpoint
ALTER TABLE `actions` ADD `imported_owner` text;--> statement-breakpoint
ALTER TABLE `roles` ADD `imported_holders` text;