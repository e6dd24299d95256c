using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FollowUpSendingLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Segments",
                table: "FollowUps",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SentFrom",
                table: "FollowUps",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_TenantId_Status_ResolvedAtUtc",
                table: "FollowUps",
                columns: new[] { "TenantId", "Status", "ResolvedAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FollowUps_TenantId_Status_ResolvedAtUtc",
                table: "FollowUps");

            migrationBuilder.DropColumn(
                name: "Segments",
                table: "FollowUps");

            migrationBuilder.DropColumn(
                name: "SentFrom",
                table: "FollowUps");
        }
    }
}
