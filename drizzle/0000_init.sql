CREATE TABLE "agent_desks" (
	"agent_id" text NOT NULL,
	"desk_id" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "agent_desks_agent_id_desk_id_pk" PRIMARY KEY("agent_id","desk_id")
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"number" text NOT NULL,
	"on_duty" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "applied_desk_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"digest" text NOT NULL,
	"applied_at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"changes" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "calendar_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"desk_id" text NOT NULL,
	"kind" text NOT NULL,
	"entry" jsonb NOT NULL,
	"by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" text
);
--> statement-breakpoint
CREATE TABLE "call_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"write_id" text,
	"call_sid" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"params" jsonb NOT NULL,
	CONSTRAINT "call_events_writeId_unique" UNIQUE("write_id")
);
--> statement-breakpoint
CREATE TABLE "callbacks" (
	"id" serial PRIMARY KEY NOT NULL,
	"call_sid" text NOT NULL,
	"desk_id" text NOT NULL,
	"client_id" text,
	"from_number" text NOT NULL,
	"reason" text NOT NULL,
	"recording_url" text,
	"recording_seconds" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"assigned_to" text,
	"assigned_by" text,
	"assigned_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"done_by" text,
	"note" text,
	CONSTRAINT "callbacks_callSid_unique" UNIQUE("call_sid")
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"call_sid" text PRIMARY KEY NOT NULL,
	"desk_id" text,
	"from_number" text NOT NULL,
	"to_number" text NOT NULL,
	"client_id" text,
	"contract_id" integer,
	"started_at" timestamp with time zone NOT NULL,
	"usage_month" text,
	"decision" text NOT NULL,
	"outcome" text,
	"overage_accepted" boolean DEFAULT false NOT NULL,
	"on_call" boolean DEFAULT false NOT NULL,
	"agent_id" text,
	"dial_call_sid" text,
	"dial_status" text,
	"dial_attempts" integer DEFAULT 0 NOT NULL,
	"talk_seconds" integer DEFAULT 0 NOT NULL,
	"recording_url" text,
	"call_status" text,
	"duration_seconds" integer,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "client_numbers" (
	"number" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"contact" text
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"language" text,
	"suspended" boolean DEFAULT false NOT NULL,
	"suspended_reason" text,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "config_version" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" serial PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"desk_id" text NOT NULL,
	"start" date NOT NULL,
	"months" integer NOT NULL,
	"notice_months" integer NOT NULL,
	"renews" boolean DEFAULT true NOT NULL,
	"monthly_quota_seconds" integer NOT NULL,
	"overage" text NOT NULL,
	"billing_increment_seconds" integer DEFAULT 1 NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notice_given_on" date,
	"notice_recorded_by" text,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "desk_numbers" (
	"number" text PRIMARY KEY NOT NULL,
	"desk_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "desks" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"language" text DEFAULT 'fr-FR' NOT NULL,
	"weekly" jsonb NOT NULL,
	"weekly_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"country" text,
	"closures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"openings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"options" jsonb NOT NULL,
	"templates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"closed_since" timestamp with time zone,
	"closed_by" text,
	"closed_reason" text,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holiday_overrides" (
	"id" serial PRIMARY KEY NOT NULL,
	"desk_id" text NOT NULL,
	"holiday_id" text NOT NULL,
	"action" text NOT NULL,
	"start" date,
	"days" integer,
	"name" text,
	"by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"token_id" integer,
	"admin_fingerprint" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_credential" CHECK ("sessions"."token_id" is not null or "sessions"."admin_fingerprint" is not null)
);
--> statement-breakpoint
CREATE TABLE "talk_legs" (
	"call_sid" text NOT NULL,
	"dial_call_sid" text NOT NULL,
	"contract_id" integer NOT NULL,
	"month" text NOT NULL,
	"talk_seconds" integer NOT NULL,
	"counted_seconds" integer NOT NULL,
	"included_seconds" integer NOT NULL,
	"overage_seconds" integer NOT NULL,
	"on_call" boolean DEFAULT false NOT NULL,
	"on_call_seconds" integer DEFAULT 0 NOT NULL,
	"counted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "talk_legs_call_sid_dial_call_sid_pk" PRIMARY KEY("call_sid","dial_call_sid"),
	CONSTRAINT "talk_legs_split" CHECK ("talk_legs"."included_seconds" + "talk_legs"."overage_seconds" = "talk_legs"."counted_seconds")
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"client_id" text,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "usage" (
	"contract_id" integer NOT NULL,
	"month" text NOT NULL,
	"quota_seconds" integer NOT NULL,
	"used_seconds" integer DEFAULT 0 NOT NULL,
	"included_seconds" integer DEFAULT 0 NOT NULL,
	"overage_seconds" integer DEFAULT 0 NOT NULL,
	"on_call_seconds" integer DEFAULT 0 NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_contract_id_month_pk" PRIMARY KEY("contract_id","month")
);
--> statement-breakpoint
CREATE TABLE "usage_thresholds" (
	"contract_id" integer NOT NULL,
	"month" text NOT NULL,
	"percent" integer NOT NULL,
	"call_sid" text NOT NULL,
	"crossed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_thresholds_contract_id_month_percent_pk" PRIMARY KEY("contract_id","month","percent")
);
--> statement-breakpoint
ALTER TABLE "agent_desks" ADD CONSTRAINT "agent_desks_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_desks" ADD CONSTRAINT "agent_desks_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_entries" ADD CONSTRAINT "calendar_entries_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_numbers" ADD CONSTRAINT "client_numbers_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_numbers" ADD CONSTRAINT "desk_numbers_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holiday_overrides" ADD CONSTRAINT "holiday_overrides_desk_id_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_token_id_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage" ADD CONSTRAINT "usage_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_desks_desk_id_index" ON "agent_desks" USING btree ("desk_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_entity_id_index" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "calendar_entries_desk_id_index" ON "calendar_entries" USING btree ("desk_id");--> statement-breakpoint
CREATE INDEX "call_events_call_sid_id_index" ON "call_events" USING btree ("call_sid","id");--> statement-breakpoint
CREATE INDEX "callbacks_status_due_at_index" ON "callbacks" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "calls_started_idx" ON "calls" USING btree ("started_at" DESC NULLS FIRST,"call_sid" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_client_started_idx" ON "calls" USING btree ("client_id","started_at" DESC NULLS FIRST,"call_sid" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_desk_started_idx" ON "calls" USING btree ("desk_id","started_at" DESC NULLS FIRST,"call_sid" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "client_numbers_client_id_index" ON "client_numbers" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_client_id_desk_id_start_index" ON "contracts" USING btree ("client_id","desk_id","start");--> statement-breakpoint
CREATE INDEX "contracts_desk_id_index" ON "contracts" USING btree ("desk_id");--> statement-breakpoint
CREATE INDEX "holiday_overrides_desk_id_holiday_id_index" ON "holiday_overrides" USING btree ("desk_id","holiday_id");--> statement-breakpoint
CREATE INDEX "sessions_token_id_index" ON "sessions" USING btree ("token_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_index" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "talk_legs_contract_id_month_index" ON "talk_legs" USING btree ("contract_id","month");--> statement-breakpoint
CREATE INDEX "usage_month_index" ON "usage" USING btree ("month");