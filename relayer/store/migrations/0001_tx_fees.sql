ALTER TABLE `jobs` ADD `tx_nonce` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `max_fee_per_gas` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `max_priority_fee_per_gas` text;