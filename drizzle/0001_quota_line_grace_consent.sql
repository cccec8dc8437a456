CREATE TABLE "overage_consents" (
	"call_sid" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"digit" text NOT NULL,
	"words" text,
	"question" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "talk_legs" DROP CONSTRAINT "talk_legs_split";--> statement-breakpoint
ALTER TABLE "talk_legs" ADD COLUMN "grace_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "talk_legs" ADD COLUMN "consented" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage" ADD COLUMN "grace_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage" ADD COLUMN "consented_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "talk_legs" ADD CONSTRAINT "talk_legs_split" CHECK ("talk_legs"."included_seconds" + "talk_legs"."overage_seconds" + "talk_legs"."grace_seconds" = "talk_legs"."counted_seconds");