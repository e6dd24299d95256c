-- Activity log, booked callbacks, notes about contacts from other channels, and tester sessions.

CREATE TABLE "Activity" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Activity" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "ConversationId" TEXT NULL,
    "Kind" TEXT NOT NULL,
    "Detail" TEXT NOT NULL,
    "Outcome" TEXT NULL,
    "Model" TEXT NULL,
    "LatencyMs" INTEGER NULL,
    "InputTokens" INTEGER NULL,
    "OutputTokens" INTEGER NULL,
    "CreatedAtUtc" TEXT NOT NULL
);

CREATE TABLE "TesterSessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TesterSessions" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "AssistantId" TEXT NOT NULL,
    "StateJson" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "UpdatedAtUtc" TEXT NOT NULL
);

CREATE TABLE "ContactNotes" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ContactNotes" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "ContactId" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "Channel" TEXT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_ContactNotes_Contacts_ContactId" FOREIGN KEY ("ContactId") REFERENCES "Contacts" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Callbacks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Callbacks" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "ConversationId" TEXT NOT NULL,
    "ContactId" TEXT NOT NULL,
    "ContactNumber" TEXT NOT NULL,
    "DueAtUtc" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Callbacks_Conversations_ConversationId" FOREIGN KEY ("ConversationId") REFERENCES "Conversations" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_Activity_ConversationId_Id" ON "Activity" ("ConversationId", "Id");

CREATE INDEX "IX_Activity_TenantId_Id" ON "Activity" ("TenantId", "Id");

CREATE INDEX "IX_Callbacks_ConversationId" ON "Callbacks" ("ConversationId");

CREATE INDEX "IX_Callbacks_TenantId_DueAtUtc" ON "Callbacks" ("TenantId", "DueAtUtc");

CREATE INDEX "IX_ContactNotes_ContactId_Id" ON "ContactNotes" ("ContactId", "Id");
