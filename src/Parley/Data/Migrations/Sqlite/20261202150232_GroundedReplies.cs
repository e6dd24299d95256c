using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "SourcesJson",
                table: "Messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UnansweredQuestionAtUtc",
                table: "Conversations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourcesJson",
                table: "Activity",
                type: "TEXT",
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
