CREATE TABLE `budgets` (
	`name` text PRIMARY KEY NOT NULL,
	`limit_usd` real NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `spending` (
	`turn_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`user_id` text NOT NULL,
	`agent` text NOT NULL,
	`cost_usd` real NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cache_read_tokens` integer NOT NULL,
	`cache_creation_tokens` integer NOT NULL,
	`model` text,
	`billing` text NOT NULL,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spending_recorded_at` ON `spending` (`recorded_at`);--> statement-breakpoint
CREATE INDEX `spending_user_recorded_at` ON `spending` (`user_id`,`recorded_at`);--> statement-breakpoint
CREATE INDEX `spending_agent_recorded_at` ON `spending` (`agent`,`recorded_at`);--> statement-breakpoint
CREATE INDEX `spending_session` ON `spending` (`session_id`);--> statement-breakpoint
-- The turns finished before the ledger existed, from their assistant messages (billing unknown).
INSERT INTO `spending` (`turn_id`, `session_id`, `user_id`, `agent`, `cost_usd`, `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_creation_tokens`, `model`, `billing`, `recorded_at`)
SELECT m.`turn_id`, m.`session_id`, s.`user_id`, s.`agent`, coalesce(m.`cost_usd`, 0),
  coalesce(json_extract(m.`tokens`, '$.input'), 0), coalesce(json_extract(m.`tokens`, '$.output'), 0),
  coalesce(json_extract(m.`tokens`, '$.cacheRead'), 0), coalesce(json_extract(m.`tokens`, '$.cacheCreation'), 0),
  m.`model`, 'unknown', m.`created_at`
FROM `messages` m JOIN `agent_sessions` s ON s.`id` = m.`session_id`
WHERE m.`role` = 'assistant' AND m.`turn_id` IS NOT NULL;
