PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_slack_inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`received_at` text NOT NULL,
	`body` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`failed_at` text
);
--> statement-breakpoint
INSERT INTO `__new_slack_inbox`("id", "received_at", "body", "state", "failed_at") SELECT "id", "received_at", "body", "state", "failed_at" FROM `slack_inbox`;--> statement-breakpoint
DROP TABLE `slack_inbox`;--> statement-breakpoint
ALTER TABLE `__new_slack_inbox` RENAME TO `slack_inbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;