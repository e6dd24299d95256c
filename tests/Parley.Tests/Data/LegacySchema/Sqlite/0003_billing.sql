-- Wallet charges are idempotent by key and count their units; conversations carry a notice (empty
-- wallet); AI replies remember the charge that paid for them; agents can pause themselves.

ALTER TABLE "WalletEntries" ADD COLUMN "Quantity" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "WalletEntries" ADD COLUMN "Key" TEXT NULL;

CREATE UNIQUE INDEX "IX_WalletEntries_Key" ON "WalletEntries" ("Key");

ALTER TABLE "Conversations" ADD COLUMN "Notice" TEXT NULL;

ALTER TABLE "Messages" ADD COLUMN "ChargeKey" TEXT NULL;

ALTER TABLE "Assistants" ADD COLUMN "DeliveryFailureScore" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "Assistants" ADD COLUMN "AutoPausedUntilUtc" TEXT NULL;
