CREATE TABLE `agent_policies` (
	`agent` text PRIMARY KEY NOT NULL,
	`allow` text NOT NULL,
	`deny` text NOT NULL,
	`approvers` text NOT NULL,
	`timeout_sec` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`agent` text NOT NULL,
	`session_id` text NOT NULL,
	`turn_id` text NOT NULL,
	`user_id` text NOT NULL,
	`request_id` text NOT NULL,
	`tool_name` text NOT NULL,
	`tool_use_id` text,
	`input` text NOT NULL,
	`suggestions` text NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`answered_at` integer,
	`decided_by` text,
	`answered_by_user_id` text,
	`answered_by_username` text,
	`answer` text,
	`granted_rules` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `agent_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `decisions_turn_request` ON `decisions` (`turn_id`,`request_id`);--> statement-breakpoint
CREATE INDEX `decisions_created` ON `decisions` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `decisions_pending` ON `decisions` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `decisions_session` ON `decisions` (`session_id`,`created_at`);