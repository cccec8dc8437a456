CREATE TABLE "callback_attempts" (
	"id" serial PRIMARY KEY NOT NULL,
	"callback_id" integer NOT NULL,
	"agent_id" text NOT NULL,
	"number" text NOT NULL,
	"from_number" text NOT NULL,
	"call_sid" text,
	"status" text DEFAULT 'initiated' NOT NULL,
	"talk_seconds" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "callback_attempts_callSid_unique" UNIQUE("call_sid")
);
--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "direction" text DEFAULT 'inbound' NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "callback_id" integer;--> statement-breakpoint
ALTER TABLE "callback_attempts" ADD CONSTRAINT "callback_attempts_callback_id_callbacks_id_fk" FOREIGN KEY ("callback_id") REFERENCES "public"."callbacks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callback_attempts_callback_id_id_index" ON "callback_attempts" USING btree ("callback_id","id");