CREATE TABLE `observer_files` (
	`path` text PRIMARY KEY NOT NULL,
	`project_dir` text NOT NULL,
	`inode` integer NOT NULL,
	`offset` integer NOT NULL,
	`head` text NOT NULL,
	`lines` integer NOT NULL,
	`malformed` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `observer_messages` (
	`key` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`project_dir` text NOT NULL,
	`file_path` text NOT NULL,
	`at` text NOT NULL,
	`model` text NOT NULL,
	`input` integer NOT NULL,
	`output` integer NOT NULL,
	`cache_read` integer NOT NULL,
	`cache_write_5m` integer NOT NULL,
	`cache_write_1h` integer NOT NULL,
	`cost_usd` real,
	`sidechain` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `observer_messages_session_idx` ON `observer_messages` (`session_id`,`at`);--> statement-breakpoint
CREATE INDEX `observer_messages_at_idx` ON `observer_messages` (`at`);--> statement-breakpoint
CREATE TABLE `observer_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`project_dir` text NOT NULL,
	`cwd` text,
	`git_branch` text,
	`summary` text,
	`first_prompt` text,
	`first_at` text,
	`last_at` text,
	`figures` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `observer_sessions_last_idx` ON `observer_sessions` (`last_at`);--> statement-breakpoint
CREATE INDEX `observer_sessions_project_idx` ON `observer_sessions` (`project_dir`);--> statement-breakpoint
CREATE TABLE `observer_tool_uses` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`file_path` text NOT NULL,
	`name` text NOT NULL,
	`target` text
);
--> statement-breakpoint
CREATE INDEX `observer_tool_uses_session_idx` ON `observer_tool_uses` (`session_id`);