CREATE TABLE "client_email_addresses" (
	"address" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_email_addresses" ADD CONSTRAINT "client_email_addresses_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;