ALTER TABLE "client_numbers" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "desks" ADD COLUMN "seasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "desks" ADD COLUMN "languages" jsonb;