ALTER TABLE `deliveries` ADD `batch_root` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `batch_proof` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `batch_signatures` text;
