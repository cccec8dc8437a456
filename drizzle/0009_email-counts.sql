CREATE TABLE "email_counts" (
	"callback_id" integer PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"month" text NOT NULL,
	"counted_seconds" integer NOT NULL,
	"included_seconds" integer NOT NULL,
	"overage_seconds" integer NOT NULL,
	"grace_seconds" integer NOT NULL,
	"counted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "email_counts_split" CHECK ("email_counts"."included_seconds" + "email_counts"."overage_seconds" + "email_counts"."grace_seconds" = "email_counts"."counted_seconds")
);
--> statement-breakpoint
ALTER TABLE "email_counts" ADD CONSTRAINT "email_counts_callback_id_callbacks_id_fk" FOREIGN KEY ("callback_id") REFERENCES "public"."callbacks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_counts_contract_id_month_index" ON "email_counts" USING btree ("contract_id","month");