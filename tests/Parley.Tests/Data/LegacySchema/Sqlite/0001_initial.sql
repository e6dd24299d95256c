CREATE TABLE "Assistants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Assistants" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "SystemPrompt" TEXT NOT NULL,
    "MaxTurns" INTEGER NOT NULL,
    "ReplyLengthLimit" INTEGER NOT NULL,
    "IsDefault" INTEGER NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL
);


CREATE TABLE "Tenants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Tenants" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Plan" INTEGER NOT NULL,
    "TimeZone" TEXT NOT NULL,
    "A2pStatus" INTEGER NOT NULL,
    "DefaultCountry" TEXT NOT NULL,
    "ApiKeyHash" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL
);


CREATE TABLE "WalletEntries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WalletEntries" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "AmountMicros" INTEGER NOT NULL,
    "Note" TEXT NULL,
    "MessageId" INTEGER NULL,
    "CreatedAtUtc" TEXT NOT NULL
);


CREATE TABLE "WebhookEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WebhookEvents" PRIMARY KEY AUTOINCREMENT,
    "Provider" TEXT NOT NULL,
    "EventId" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "DedupeKey" TEXT NOT NULL,
    "MessageId" TEXT NULL,
    "Body" TEXT NOT NULL,
    "ReceivedAtUtc" TEXT NOT NULL
);


CREATE TABLE "WorkItems" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WorkItems" PRIMARY KEY AUTOINCREMENT,
    "Kind" TEXT NOT NULL,
    "TenantId" TEXT NULL,
    "SerialKey" TEXT NULL,
    "Payload" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "DueAtUtc" TEXT NOT NULL,
    "LeaseOwner" TEXT NULL,
    "LeaseUntilUtc" TEXT NULL,
    "LastError" TEXT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "CompletedAtUtc" TEXT NULL
);


CREATE TABLE "Contacts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Contacts" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "FirstName" TEXT NULL,
    "LastName" TEXT NULL,
    "Company" TEXT NULL,
    "IsClient" INTEGER NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Contacts_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);


CREATE TABLE "PhoneNumbers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PhoneNumbers" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "MessagingProfileId" TEXT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_PhoneNumbers_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);


CREATE TABLE "ContactPhones" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ContactPhones" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "ContactId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "OptedOutAtUtc" TEXT NULL,
    CONSTRAINT "FK_ContactPhones_Contacts_ContactId" FOREIGN KEY ("ContactId") REFERENCES "Contacts" ("Id") ON DELETE CASCADE
);


CREATE TABLE "Conversations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Conversations" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "ContactId" TEXT NOT NULL,
    "TenantNumber" TEXT NOT NULL,
    "AssistantId" TEXT NULL,
    "Guide" TEXT NULL,
    "AiPaused" INTEGER NOT NULL,
    "Outcome" TEXT NULL,
    "Turns" INTEGER NOT NULL,
    "SkippedReplies" INTEGER NOT NULL,
    "IdentityConfirmed" INTEGER NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "LastMessageAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Conversations_Contacts_ContactId" FOREIGN KEY ("ContactId") REFERENCES "Contacts" ("Id") ON DELETE CASCADE
);


CREATE TABLE "ConversationPhones" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ConversationPhones" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "AiPaused" INTEGER NOT NULL,
    "Outcome" TEXT NULL,
    "Turns" INTEGER NOT NULL,
    CONSTRAINT "FK_ConversationPhones_Conversations_ConversationId" FOREIGN KEY ("ConversationId") REFERENCES "Conversations" ("Id") ON DELETE CASCADE
);


CREATE TABLE "Messages" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Messages" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "Direction" TEXT NOT NULL,
    "Author" TEXT NOT NULL,
    "ContactNumber" TEXT NOT NULL,
    "TenantNumber" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "Encoding" TEXT NOT NULL,
    "Segments" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "CarrierMessageId" TEXT NULL,
    "SendAttempts" INTEGER NOT NULL,
    "ErrorCode" TEXT NULL,
    "Error" TEXT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "StatusAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Messages_Conversations_ConversationId" FOREIGN KEY ("ConversationId") REFERENCES "Conversations" ("Id") ON DELETE CASCADE
);


CREATE INDEX "IX_Assistants_TenantId_IsDefault" ON "Assistants" ("TenantId", "IsDefault");


CREATE INDEX "IX_ContactPhones_ContactId" ON "ContactPhones" ("ContactId");


CREATE UNIQUE INDEX "IX_ContactPhones_TenantId_Number" ON "ContactPhones" ("TenantId", "Number");


CREATE INDEX "IX_Contacts_TenantId" ON "Contacts" ("TenantId");


CREATE UNIQUE INDEX "IX_ConversationPhones_ConversationId_Number" ON "ConversationPhones" ("ConversationId", "Number");


CREATE INDEX "IX_Conversations_ContactId" ON "Conversations" ("ContactId");


CREATE INDEX "IX_Conversations_TenantId_ContactId_LastMessageAtUtc" ON "Conversations" ("TenantId", "ContactId", "LastMessageAtUtc");


CREATE INDEX "IX_Conversations_TenantId_LastMessageAtUtc" ON "Conversations" ("TenantId", "LastMessageAtUtc");


CREATE UNIQUE INDEX "IX_Messages_CarrierMessageId" ON "Messages" ("CarrierMessageId");


CREATE INDEX "IX_Messages_ConversationId_Id" ON "Messages" ("ConversationId", "Id");


CREATE UNIQUE INDEX "IX_PhoneNumbers_Number" ON "PhoneNumbers" ("Number");


CREATE INDEX "IX_PhoneNumbers_TenantId" ON "PhoneNumbers" ("TenantId");


CREATE UNIQUE INDEX "IX_Tenants_ApiKeyHash" ON "Tenants" ("ApiKeyHash");


CREATE INDEX "IX_WalletEntries_TenantId_CreatedAtUtc" ON "WalletEntries" ("TenantId", "CreatedAtUtc");


CREATE UNIQUE INDEX "IX_WebhookEvents_Provider_DedupeKey" ON "WebhookEvents" ("Provider", "DedupeKey");


CREATE UNIQUE INDEX "IX_WebhookEvents_Provider_EventId" ON "WebhookEvents" ("Provider", "EventId");


CREATE INDEX "IX_WorkItems_SerialKey_Status" ON "WorkItems" ("SerialKey", "Status");


CREATE INDEX "IX_WorkItems_Status_DueAtUtc" ON "WorkItems" ("Status", "DueAtUtc");


