ALTER TABLE `jobs` ADD `batch_root` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `batch_proof` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `batch_signatures` text;