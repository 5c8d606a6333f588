ALTER TABLE `redemption_requests` ADD `pins` text;--> statement-breakpoint
ALTER TABLE `redemption_requests` ADD `pool_supply` text;