using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GroundedReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "UnansweredQuestionsNeedAttention",
                table: "Tenants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "SourcesJson",
                table: "Messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UnansweredQuestionAtUtc",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourcesJson",
                table: "Activity",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UnansweredQuestionsNeedAttention",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "SourcesJson",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "UnansweredQuestionAtUtc",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "SourcesJson",
                table: "Activity");
        }
    }
}
