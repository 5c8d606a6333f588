CREATE TABLE `feed_cursor` (
	`id` integer PRIMARY KEY NOT NULL,
	`after` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attestation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`did` text NOT NULL,
	`did_hash` text NOT NULL,
	`nonce` text NOT NULL,
	`kind` text NOT NULL,
	`chain_id` integer NOT NULL,
	`transport` text NOT NULL,
	`receiver` text NOT NULL,
	`message` text NOT NULL,
	`signatures` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`tx_hash` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`confirmed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_attestation_chain` ON `jobs` (`attestation_id`,`chain_id`);--> statement-breakpoint
CREATE INDEX `jobs_chain_state_seq` ON `jobs` (`chain_id`,`state`,`seq`);