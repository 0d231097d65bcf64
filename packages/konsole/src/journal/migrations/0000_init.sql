CREATE TABLE `conversation_costs` (
	`claude_session_id` text PRIMARY KEY NOT NULL,
	`total_cost_usd` real NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `journal_entries` (
	`cursor` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`turn_id` text NOT NULL,
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journal_turn_seq_idx` ON `journal_entries` (`turn_id`,`seq`);--> statement-breakpoint
CREATE INDEX `journal_session_cursor_idx` ON `journal_entries` (`session_id`,`cursor`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`claude_session_id` text,
	`cwd` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `turns` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`user_id` text NOT NULL,
	`request_id` text,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`reply` text,
	`error_code` text,
	`error_message` text,
	`recovered` integer DEFAULT false NOT NULL,
	`memory_lost` integer DEFAULT false NOT NULL,
	`claude_session_id` text,
	`cwd` text,
	`pid` integer,
	`process_id` text,
	`process_token_id` text,
	`figures` text,
	`created_at` text NOT NULL,
	`started_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `turns_session_idx` ON `turns` (`session_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `turns_status_idx` ON `turns` (`status`);