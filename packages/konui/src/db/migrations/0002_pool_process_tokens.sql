PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_process_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`session_id` text,
	`user_id` text,
	`process_id` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`bound_at` integer,
	CONSTRAINT "process_tokens_bound_together" CHECK((bound_at is null) = (session_id is null) and (bound_at is null) = (user_id is null))
);
--> statement-breakpoint
INSERT INTO `__new_process_tokens`("id", "token_hash", "session_id", "user_id", "process_id", "scopes", "created_at", "expires_at", "bound_at") SELECT "id", "token_hash", "session_id", "user_id", "process_id", "scopes", "created_at", "expires_at", "created_at" FROM `process_tokens`;--> statement-breakpoint
DROP TABLE `process_tokens`;--> statement-breakpoint
ALTER TABLE `__new_process_tokens` RENAME TO `process_tokens`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `process_tokens_token_hash_unique` ON `process_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `process_tokens_expires_at` ON `process_tokens` (`expires_at`);--> statement-breakpoint
CREATE INDEX `process_tokens_session` ON `process_tokens` (`session_id`);