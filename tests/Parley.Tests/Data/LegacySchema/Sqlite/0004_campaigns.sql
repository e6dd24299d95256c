-- Campaigns: bulk sends and their recipients; a conversation remembers the campaign that texted it.

ALTER TABLE "Conversations" ADD "CampaignId" TEXT NULL;

CREATE TABLE "Campaigns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Campaigns" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "MessageTemplate" TEXT NOT NULL,
    "AiEnabled" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "PausedReason" TEXT NULL,
    "SendingNumbers" TEXT NOT NULL,
    "ScheduledAtUtc" TEXT NULL,
    "SlowedUntilUtc" TEXT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "StartedAtUtc" TEXT NULL,
    "FinishedAtUtc" TEXT NULL,
    CONSTRAINT "FK_Campaigns_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CampaignRecipients" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CampaignRecipients" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "CampaignId" TEXT NOT NULL,
    "ContactId" TEXT NOT NULL,
    "Phone" TEXT NOT NULL,
    "FirstName" TEXT NULL,
    "State" TEXT NOT NULL,
    "SkipReason" TEXT NULL,
    "MessageId" INTEGER NULL,
    "DueAtUtc" TEXT NOT NULL,
    "SentFrom" TEXT NULL,
    "Segments" INTEGER NOT NULL,
    "SentAtUtc" TEXT NULL,
    CONSTRAINT "FK_CampaignRecipients_Campaigns_CampaignId" FOREIGN KEY ("CampaignId") REFERENCES "Campaigns" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_CampaignRecipients_Messages_MessageId" FOREIGN KEY ("MessageId") REFERENCES "Messages" ("Id")
);

CREATE UNIQUE INDEX "IX_CampaignRecipients_CampaignId_Phone" ON "CampaignRecipients" ("CampaignId", "Phone");

CREATE INDEX "IX_CampaignRecipients_CampaignId_State_DueAtUtc" ON "CampaignRecipients" ("CampaignId", "State", "DueAtUtc");

CREATE INDEX "IX_CampaignRecipients_ContactId" ON "CampaignRecipients" ("ContactId");

CREATE INDEX "IX_CampaignRecipients_MessageId" ON "CampaignRecipients" ("MessageId");

CREATE INDEX "IX_CampaignRecipients_TenantId_SentAtUtc" ON "CampaignRecipients" ("TenantId", "SentAtUtc");

CREATE INDEX "IX_Campaigns_TenantId_CreatedAtUtc" ON "Campaigns" ("TenantId", "CreatedAtUtc");
