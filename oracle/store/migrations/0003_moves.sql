CREATE TABLE `moves` (
	`did` text NOT NULL,
	`ref` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`accepted_at_ms` integer NOT NULL,
	`out_applied_at_ms` integer,
	`updated_at_ms` integer NOT NULL,
	`alerted_at_ms` integer,
	PRIMARY KEY(`did`, `ref`)
);
--> statement-breakpoint
CREATE INDEX `moves_state` ON `moves` (`state`);