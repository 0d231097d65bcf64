CREATE TABLE `agent_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`agent` text NOT NULL,
	`user_id` text NOT NULL,
	`title` text,
	`claude_session_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agent_sessions_agent_user` ON `agent_sessions` (`agent`,`user_id`);--> statement-breakpoint
CREATE TABLE `consumer_state` (
	`id` text PRIMARY KEY NOT NULL,
	`cursor` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `feature_flags` (
	`name` text NOT NULL,
	`agent` text NOT NULL,
	`enabled` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`name`, `agent`)
);
--> statement-breakpoint
CREATE TABLE `guardrails` (
	`agent` text PRIMARY KEY NOT NULL,
	`max_turns_task` integer NOT NULL,
	`max_turns_chat` integer NOT NULL,
	`execution_timeout_sec` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kontasks` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`context` text NOT NULL,
	`scope` text,
	`tags` text NOT NULL,
	`target_user` text,
	`created_by` text NOT NULL,
	`owner_user_id` text NOT NULL,
	`session_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `kontasks_created` ON `kontasks` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `kontasks_owner` ON `kontasks` (`owner_user_id`);--> statement-breakpoint
CREATE INDEX `kontasks_session` ON `kontasks` (`session_id`);--> statement-breakpoint
CREATE TABLE `logins` (
	`jti` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `logins_expires_at` ON `logins` (`expires_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`role` text NOT NULL,
	`text` text NOT NULL,
	`attachments` text NOT NULL,
	`turn_id` text,
	`status` text NOT NULL,
	`error` text,
	`cost_usd` real,
	`duration_ms` real,
	`tokens` text,
	`last_cache_pct` real,
	`recovered` integer DEFAULT false NOT NULL,
	`memory_lost` integer DEFAULT false NOT NULL,
	`claude_session_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `agent_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `messages_session` ON `messages` (`session_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_turn_role` ON `messages` (`turn_id`,`role`);--> statement-breakpoint
CREATE TABLE `process_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`session_id` text NOT NULL,
	`user_id` text NOT NULL,
	`process_id` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `process_tokens_token_hash_unique` ON `process_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `process_tokens_expires_at` ON `process_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);