-- A number the carrier cannot deliver to (landline, invalid, opted out at the carrier) is marked on the contact's
-- phone; a model that keeps failing is recorded on the tenant (since when, why) and on the conversation it left
-- unanswered, which then needs attention.

ALTER TABLE "ContactPhones" ADD COLUMN "UndeliverableAtUtc" timestamp with time zone NULL;
ALTER TABLE "ContactPhones" ADD COLUMN "UndeliverableReason" text NULL;
ALTER TABLE "Conversations" ADD COLUMN "ModelFailedAtUtc" timestamp with time zone NULL;
ALTER TABLE "Tenants" ADD COLUMN "ModelFailingSinceUtc" timestamp with time zone NULL;
ALTER TABLE "Tenants" ADD COLUMN "ModelFailureReason" text NULL;
