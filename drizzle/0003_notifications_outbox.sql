CREATE TABLE "notification_events" (
	"key" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"desk_id" text NOT NULL,
	"client_id" text,
	"data" jsonb NOT NULL,
	"context" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"type" text NOT NULL,
	"desk_id" text NOT NULL,
	"client_id" text,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"for_client" boolean DEFAULT false NOT NULL,
	"language" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"window_start" timestamp with time zone NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resent_by" text
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "contact" jsonb;--> statement-breakpoint
ALTER TABLE "desks" ADD COLUMN "notifications" jsonb;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_event_key_notification_events_key_fk" FOREIGN KEY ("event_key") REFERENCES "public"."notification_events"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_events_occurred_at_index" ON "notification_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notifications_created_at_index" ON "notifications" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "notifications_client_id_for_client_created_at_index" ON "notifications" USING btree ("client_id","for_client","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_event_key_channel_recipient_index" ON "notifications" USING btree ("event_key","channel","recipient");