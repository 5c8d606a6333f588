CREATE TABLE `signed_chains` (
	`did_hash` text NOT NULL,
	`nonce` text NOT NULL,
	`chain_id` integer NOT NULL,
	`receiver` text NOT NULL,
	`signature` text NOT NULL,
	PRIMARY KEY(`did_hash`, `nonce`, `chain_id`),
	FOREIGN KEY (`did_hash`,`nonce`) REFERENCES `signed_messages`(`did_hash`,`nonce`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `signed_messages` (
	`did_hash` text NOT NULL,
	`nonce` text NOT NULL,
	`message_hash` text NOT NULL,
	`message` text NOT NULL,
	`did` text NOT NULL,
	`kind` text NOT NULL,
	`source_ref` text NOT NULL,
	`nav_value` text,
	`as_of` integer,
	`created_at` text NOT NULL,
	PRIMARY KEY(`did_hash`, `nonce`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signed_messages_source` ON `signed_messages` (`did_hash`,`kind`,`source_ref`);--> statement-breakpoint
CREATE INDEX `signed_messages_nav` ON `signed_messages` (`did_hash`,`kind`,`as_of`);