CREATE TABLE `proposals` (
	`did_hash` text NOT NULL,
	`nonce` integer NOT NULL,
	`did` text NOT NULL,
	`kind` text NOT NULL,
	`source_ref` text NOT NULL,
	`request_hash` text NOT NULL,
	`id` text NOT NULL,
	`message` text NOT NULL,
	`source` text NOT NULL,
	`destinations` text NOT NULL,
	`signer_set` text NOT NULL,
	`row` text NOT NULL,
	`state` text NOT NULL,
	`closed_reason` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`did_hash`, `nonce`)
);
--> statement-breakpoint
CREATE INDEX `proposals_source` ON `proposals` (`did`,`kind`,`source_ref`);--> statement-breakpoint
CREATE INDEX `proposals_state` ON `proposals` (`state`);