CREATE TABLE `actions` (
	`id` integer PRIMARY KEY NOT NULL,
	`workstream_id` integer NOT NULL,
	`number` integer NOT NULL,
	`ref` text NOT NULL,
	`text` text NOT NULL,
	`owner_role_id` integer,
	`date_text` text,
	`date_source` text DEFAULT 'none' NOT NULL,
	`start` text,
	`due` text,
	`baseline_due` text,
	`ongoing` integer DEFAULT false NOT NULL,
	`flags` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'not_started' NOT NULL,
	`percent` integer,
	`imported_status` text,
	`removed_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workstream_id`) REFERENCES `workstreams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `actions_ref_unique` ON `actions` (`ref`);--> statement-breakpoint
CREATE UNIQUE INDEX `actions_workstream_number_unique` ON `actions` (`workstream_id`,`number`);--> statement-breakpoint
CREATE INDEX `actions_due` ON `actions` (`due`);--> statement-breakpoint
CREATE INDEX `actions_owner_role` ON `actions` (`owner_role_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_person_id` integer,
	`actor_label` text,
	`event` text NOT NULL,
	`entity` text,
	`detail` text,
	FOREIGN KEY (`actor_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `boards` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	`chair_role_id` integer,
	`slack_channel` text,
	`teams_channel` text,
	`update_window_days` integer DEFAULT 10 NOT NULL,
	`reminder_days` integer DEFAULT 7 NOT NULL,
	`papers_days` integer DEFAULT 5 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`chair_role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `boards_key_unique` ON `boards` (`key`);--> statement-breakpoint
CREATE TABLE `due_date_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`action_id` integer NOT NULL,
	`requested_by` integer,
	`requested_at` text NOT NULL,
	`from_due` text,
	`to_due` text,
	`phrase` text NOT NULL,
	`reason` text,
	`state` text NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`update_id` integer,
	FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`update_id`) REFERENCES `updates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `due_date_changes_action` ON `due_date_changes` (`action_id`,`requested_at`);--> statement-breakpoint
CREATE TABLE `kpis` (
	`id` integer PRIMARY KEY NOT NULL,
	`plan_id` integer NOT NULL,
	`name` text NOT NULL,
	`baseline` text,
	`trajectory` text DEFAULT '[]' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kpis_plan_name_unique` ON `kpis` (`plan_id`,`name`);--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` integer PRIMARY KEY NOT NULL,
	`board_id` integer NOT NULL,
	`starts_at` text NOT NULL,
	`is_sample` integer DEFAULT false NOT NULL,
	`source_uid` text,
	`title` text,
	`cancelled` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meetings_board_start_unique` ON `meetings` (`board_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `meetings_starts_at` ON `meetings` (`starts_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`recipient_person_id` integer,
	`recipient_channel` text,
	`payload` text NOT NULL,
	`not_before` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`last_error` text,
	`platform` text,
	`platform_message_id` text,
	`lease_until` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`recipient_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key_unique` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`not_before`);--> statement-breakpoint
CREATE TABLE `partnership` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text DEFAULT 'Europe/London' NOT NULL,
	`office_hours_start` text DEFAULT '09:00' NOT NULL,
	`office_hours_end` text DEFAULT '17:30' NOT NULL,
	`school_terms` text DEFAULT '[]' NOT NULL,
	`programme_channel` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`slack_user_id` text,
	`teams_user_id` text,
	`is_admin` integer DEFAULT false NOT NULL,
	`away_until` text,
	`delegate_id` integer,
	`weekly_digest` integer DEFAULT false NOT NULL,
	`last_platform` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `people_slack_unique` ON `people` (`slack_user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `people_teams_unique` ON `people` (`teams_user_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`area_for_improvement` text,
	`findings` text,
	`outcomes` text DEFAULT '[]' NOT NULL,
	`evidence` text DEFAULT '[]' NOT NULL,
	`board_id` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_code_unique` ON `plans` (`code`);--> statement-breakpoint
CREATE TABLE `role_aliases` (
	`key` text PRIMARY KEY NOT NULL,
	`alias` text NOT NULL,
	`role_id` integer NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `role_assignments` (
	`id` integer PRIMARY KEY NOT NULL,
	`role_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`started_at` text NOT NULL,
	`ended_at` text,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `role_assignments_role` ON `role_assignments` (`role_id`,`ended_at`);--> statement-breakpoint
CREATE INDEX `role_assignments_person` ON `role_assignments` (`person_id`);--> statement-breakpoint
CREATE TABLE `roles` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roles_key_unique` ON `roles` (`key`);--> statement-breakpoint
CREATE TABLE `updates` (
	`id` integer PRIMARY KEY NOT NULL,
	`action_id` integer NOT NULL,
	`person_id` integer,
	`created_at` text NOT NULL,
	`platform` text NOT NULL,
	`kind` text DEFAULT 'update' NOT NULL,
	`status` text,
	`percent` integer,
	`note` text,
	`evidence_url` text,
	`raw_text` text NOT NULL,
	FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `updates_action_time` ON `updates` (`action_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `updates_person` ON `updates` (`person_id`);--> statement-breakpoint
CREATE TABLE `workstream_supporting_roles` (
	`workstream_id` integer NOT NULL,
	`role_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`workstream_id`) REFERENCES `workstreams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workstream_supporting_roles_unique` ON `workstream_supporting_roles` (`workstream_id`,`role_id`);--> statement-breakpoint
CREATE TABLE `workstreams` (
	`id` integer PRIMARY KEY NOT NULL,
	`plan_id` integer NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`lead_role_id` integer,
	`board_id` integer,
	`date_text` text,
	`milestones` text DEFAULT '[]' NOT NULL,
	`start` text,
	`due` text,
	`ongoing` integer DEFAULT false NOT NULL,
	`flags` text DEFAULT '[]' NOT NULL,
	`removed_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workstreams_plan_number_unique` ON `workstreams` (`plan_id`,`number`);