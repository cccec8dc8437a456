CREATE TABLE "season_overrides" (
	"id" serial PRIMARY KEY NOT NULL,
	"desk_id" text NOT NULL,
	"season_id" text NOT NULL,
	"action" text NOT NULL,
	"start" date,
	"end" date,
	"by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "season_overrides" ADD CONSTRAINT "season_overrides_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "season_overrides_desk_id_season_id_index" ON "season_overrides" USING btree ("desk_id","season_id");