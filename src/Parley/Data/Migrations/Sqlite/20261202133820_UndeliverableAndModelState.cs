using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ModelFailureReason",
                table: "Tenants",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ModelFailedAtUtc",
                table: "Conversations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UndeliverableAtUtc",
                table: "ContactPhones",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UndeliverableReason",
                table: "ContactPhones",
                type: "TEXT",
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
