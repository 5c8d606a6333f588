CREATE TABLE `attestations` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`did` text NOT NULL,
	`did_hash` text NOT NULL,
	`nonce` integer NOT NULL,
	`kind` text NOT NULL,
	`source_ref` text NOT NULL,
	`request_hash` text NOT NULL,
	`request` text NOT NULL,
	`submitter` text NOT NULL,
	`message` text NOT NULL,
	`nav_value` text,
	`as_of` integer,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attestations_id` ON `attestations` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `attestations_did_nonce` ON `attestations` (`did_hash`,`nonce`);--> statement-breakpoint
CREATE UNIQUE INDEX `attestations_source` ON `attestations` (`did`,`kind`,`source_ref`);--> statement-breakpoint
CREATE INDEX `attestations_did_kind_asof` ON `attestations` (`did_hash`,`kind`,`as_of`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`attestation_seq` integer NOT NULL,
	`chain_id` integer NOT NULL,
	`receiver` text NOT NULL,
	`signatures` text NOT NULL,
	PRIMARY KEY(`attestation_seq`, `chain_id`),
	FOREIGN KEY (`attestation_seq`) REFERENCES `attestations`(`seq`) ON UPDATE no action ON DELETE no action
);
