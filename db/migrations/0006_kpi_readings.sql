CREATE TABLE `kpi_readings` (
	`id` integer PRIMARY KEY NOT NULL,
	`kpi_id` integer NOT NULL,
	`value` real NOT NULL,
	`period_label` text NOT NULL,
	`period_start` text,
	`period_end` text NOT NULL,
	`recorded_at` text NOT NULL,
	`person_id` integer,
	`platform` text NOT NULL,
	`kind` text DEFAULT 'reading' NOT NULL,
	`note` text,
	`raw_text` text NOT NULL,
	`is_sample` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`kpi_id`) REFERENCES `kpis`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kpi_readings_kpi_period` ON `kpi_readings` (`kpi_id`,`period_end`,`recorded_at`);--> statement-breakpoint
ALTER TABLE `kpis` ADD `code` text;--> statement-breakpoint
ALTER TABLE `kpis` ADD `workstream_id` integer REFERENCES workstreams(id);--> statement-breakpoint
ALTER TABLE `kpis` ADD `owner_role_id` integer REFERENCES roles(id);--> statement-breakpoint
ALTER TABLE `kpis` ADD `unit` text DEFAULT 'number' NOT NULL;--> statement-breakpoint
ALTER TABLE `kpis` ADD `direction` text DEFAULT 'higher' NOT NULL;--> statement-breakpoint
ALTER TABLE `kpis` ADD `frequency` text DEFAULT 'monthly' NOT NULL;--> statement-breakpoint
ALTER TABLE `kpis` ADD `baseline_value` real;--> statement-breakpoint
ALTER TABLE `kpis` ADD `baseline_as_of` text;--> statement-breakpoint
ALTER TABLE `kpis` ADD `removed_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `kpis_code_unique` ON `kpis` (`code`);