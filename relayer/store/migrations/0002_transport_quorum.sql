CREATE TABLE `quorums` (
	`did_hash` text NOT NULL,
	`chain_id` integer NOT NULL,
	`k` integer NOT NULL,
	`transports` integer NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quorums_did_chain` ON `quorums` (`did_hash`,`chain_id`);--> statement-breakpoint
DROP INDEX `jobs_attestation_chain`;--> statement-breakpoint
ALTER TABLE `jobs` ADD `quorum_transports` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_attestation_chain_transport` ON `jobs` (`attestation_id`,`chain_id`,`transport`);