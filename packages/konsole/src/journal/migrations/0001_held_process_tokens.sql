CREATE TABLE `held_process_tokens` (
	`token_id` text PRIMARY KEY NOT NULL,
	`process_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text NOT NULL
);
