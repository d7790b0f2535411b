CREATE TABLE `slack_inbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`received_at` text NOT NULL,
	`body` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`failed_at` text
);
--> statement-breakpoint
CREATE TABLE `slack_request_signatures` (
	`signature` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `slack_request_signatures_expires` ON `slack_request_signatures` (`expires_at`);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `platform` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `platform_user_id` text;