using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UndeliverableAndModelState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ModelFailingSinceUtc",
                table: "Tenants",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ModelFailureReason",
                table: "Tenants",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ModelFailedAtUtc",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UndeliverableAtUtc",
                table: "ContactPhones",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UndeliverableReason",
                table: "ContactPhones",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ModelFailingSinceUtc",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "ModelFailureReason",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "ModelFailedAtUtc",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "UndeliverableAtUtc",
                table: "ContactPhones");

            migrationBuilder.DropColumn(
                name: "UndeliverableReason",
                table: "ContactPhones");
        }
    }
}
