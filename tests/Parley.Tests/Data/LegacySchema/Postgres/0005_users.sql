-- Dashboard users: people who sign in to a tenant with a password (ASP.NET Core Identity hash).

CREATE TABLE "Users" (
    "Id" uuid NOT NULL,
    "TenantId" uuid NOT NULL,
    "Email" character varying(254) NOT NULL,
    "PasswordHash" character varying(200) NOT NULL,
    "Role" character varying(16) NOT NULL,
    "CreatedAtUtc" timestamp with time zone NOT NULL,
    "OnboardingDismissedAtUtc" timestamp with time zone,
    CONSTRAINT "PK_Users" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Users_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_Users_Email" ON "Users" ("Email");

CREATE INDEX "IX_Users_TenantId" ON "Users" ("TenantId");

