CREATE TABLE "caller_languages" (
	"number" text PRIMARY KEY NOT NULL,
	"language" text NOT NULL,
	"chosen_by" text NOT NULL,
	"chosen_at" timestamp with time zone NOT NULL
);
