ALTER TABLE `agent_sessions` ADD `memory_epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `memory_epoch` integer DEFAULT 0 NOT NULL;