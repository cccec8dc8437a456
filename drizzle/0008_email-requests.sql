CREATE TABLE "client_email_addresses" (
	"address" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_attachments" (
	"message_row_id" integer NOT NULL,
	"position" integer NOT NULL,
	"filename" text,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"content_id" text,
	"inline" boolean DEFAULT false NOT NULL,
	"content" "bytea",
	"omitted" text,
	CONSTRAINT "email_attachments_message_row_id_position_pk" PRIMARY KEY("message_row_id","position")
);
--> statement-breakpoint
CREATE TABLE "email_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"direction" text NOT NULL,
	"disposition" text NOT NULL,
	"request_id" integer,
	"client_id" text,
	"via" text NOT NULL,
	"from_address" text,
	"from_name" text,
	"reply_to" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"to" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"date" timestamp with time zone,
	"in_reply_to" text,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"html" text,
	"size" integer DEFAULT 0 NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"assigned_at" timestamp with time zone,
	"assigned_by" text,
	CONSTRAINT "email_messages_messageId_unique" UNIQUE("message_id")
);
--> statement-breakpoint
ALTER TABLE "callbacks" ALTER COLUMN "call_sid" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "callbacks" ALTER COLUMN "from_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "channel" text DEFAULT 'phone' NOT NULL;--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "from_address" text;--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "callbacks" ADD COLUMN "reply_minutes" integer;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "email_domains" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "email_minutes_count_into_quota" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "client_email_addresses" ADD CONSTRAINT "client_email_addresses_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_attachments" ADD CONSTRAINT "email_attachments_message_row_id_email_messages_id_fk" FOREIGN KEY ("message_row_id") REFERENCES "public"."email_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_request_id_callbacks_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."callbacks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_messages_request_id_index" ON "email_messages" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "email_messages_disposition_received_at_index" ON "email_messages" USING btree ("disposition","received_at");--> statement-breakpoint
ALTER TABLE "callbacks" ADD CONSTRAINT "callbacks_channel" CHECK (("callbacks"."channel" = 'phone' and "callbacks"."call_sid" is not null and "callbacks"."from_number" is not null) or ("callbacks"."channel" = 'email' and "callbacks"."from_address" is not null));