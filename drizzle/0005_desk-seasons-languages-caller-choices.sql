CREATE TABLE "caller_languages" (
	"number" text PRIMARY KEY NOT NULL,
	"language" text NOT NULL,
	"chosen_by" text NOT NULL,
	"chosen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_numbers" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "desks" ADD COLUMN "seasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "desks" ADD COLUMN "languages" jsonb;