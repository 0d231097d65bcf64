CREATE TABLE `login_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`pending` integer DEFAULT 0 NOT NULL,
	`last_at` integer NOT NULL,
	`blocked_until` integer DEFAULT 0 NOT NULL
);
