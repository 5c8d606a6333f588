CREATE TABLE `chain_cursors` (
	`chain_id` integer NOT NULL,
	`stream` text NOT NULL,
	`next_block` text NOT NULL,
	PRIMARY KEY(`chain_id`, `stream`)
);
--> statement-breakpoint
CREATE TABLE `redemption_requests` (
	`did_hash` text NOT NULL,
	`chain_id` integer NOT NULL,
	`request_id` text NOT NULL,
	`owner` text NOT NULL,
	`amount` text NOT NULL,
	`requested_at` integer NOT NULL,
	`block_number` text NOT NULL,
	`log_index` integer NOT NULL,
	`cancelled` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`did_hash`, `chain_id`, `request_id`)
);
--> statement-breakpoint
CREATE INDEX `redemption_requests_time` ON `redemption_requests` (`did_hash`,`requested_at`);--> statement-breakpoint
CREATE TABLE `redemption_stages` (
	`did_hash` text NOT NULL,
	`stage_seq` text NOT NULL,
	`stage` integer NOT NULL,
	`since` integer NOT NULL,
	`reason` integer NOT NULL,
	`day_requested` text NOT NULL,
	`pool_supply` text NOT NULL,
	`block_number` text NOT NULL,
	`log_index` integer NOT NULL,
	PRIMARY KEY(`did_hash`, `stage_seq`)
);
